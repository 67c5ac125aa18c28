"""What the town and the county say to each other over the network: signed requests (RFC 9421),
resumable uploads (tus 1.0) and the county's signed receipts. No HTTP server or client here:
the service (service/) and the town's sender (core/app/outbox.py) use these pieces."""
