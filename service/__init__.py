"""The county's receiving service: an ASGI application (Starlette, served by uvicorn) that takes
the towns' signed batch packages over the network and hands back receipts, result packages and
catalog updates. HTTP only: every decision is a use case of core/app (core/app/inbox.py)."""
