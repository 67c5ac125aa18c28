"""Cases: their states, the case service and the queries behind the case list."""
