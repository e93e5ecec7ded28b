"""Drug-supply alerts: texts the hotline sends on its own, to people who asked for them.

The parts, from the texter inwards to the worker:
- `plan`: flows/alerts.yaml (areas, quiet hours), read and checked with the flows;
- `words` and `texting`: JOIN, YES, ALERTS, LEAVE, REPORT: a small pure step before the
  conversation engine, as consent is;
- `numbers`, `subscriptions`, `reports`: what is kept in Redis (numbers encrypted);
- `broadcasts`: an alert from composing to sent, with its translations and approval;
- `sender` and `jobs`: the RQ jobs that send through Twilio's REST API, exactly once per
  subscriber and alert, across worker crashes; `worker` runs them;
- `alerts`: the one object the web layer, the console and the CLI use.

Rules this package keeps:
- Imports point inward (outbound -> flow, store); nothing in `flow/` knows about alerts.
- A texter who does not use alerts costs nothing more: their text is matched against a
  small table in memory, and no Redis call is added to their webhook.
- No phone number in a log, a key, an RQ job or the console: subscribers are found by the
  keyed hash of their number, and the number itself is kept only encrypted (Fernet).
- Every key expires (see docs/alerts.md for how long each is kept).
"""
