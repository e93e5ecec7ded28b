"""The coordinators' tools, shared by the `hotline` commands and (later) the console: the check,
the simulator, the JSON Schemas for editors, and the recordings.

Rules this package keeps:
- A tool needs no Twilio account, Redis or web server: it works on the flow, catalogue
  and audio folders, and reports problems as `file:line: level: message`.
- One implementation per tool: start-up, reloading, the CLI and the console call the same
  `run_check`, so "it passed the check" means the same everywhere.
- The webhooks' runtime may use what is published here (`recordings`, `run_check`), but
  nothing here imports the web layer or the Redis state.
"""
