"""The Twilio side of a conversation: engine actions in, TwiML out; and texts sent on our own.

Rules this package keeps:
- The renderers (`voice`, `sms`, `bidi`) are functions of the actions and the catalogues:
  no I/O, no state, the same TwiML for the same actions.
- `messaging` is the one module that talks to Twilio's REST API (texts sent during a
  call); every failure comes back as a plain outcome, never an exception.
- Nothing here imports the web layer, the Redis state or the coordinators' tools.
"""
