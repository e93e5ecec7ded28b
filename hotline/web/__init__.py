"""Thin Flask blueprints for Twilio's webhooks, recordings, health and the landing page (GET /).

Rules this package keeps:
- A handler only checks (signature, form, size), asks the `Hotline` service and returns
  its TwiML; the conversation's rules live in `flow/`, `texting/` and the service.
- A bad request gets a clear status with one plain line; anything else gets 200 and valid
  TwiML, even when Redis or the flows are in trouble.
"""
