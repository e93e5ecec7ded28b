"""State kept in Redis: conversations and what is kept about a number, and flood limits; the
console's revisions, accounts and audit log.

Rules this package keeps:
- No phone number or message body in any key or value (numbers are keyed hashes) and
  every key about a caller expires (`sessions`, `scripts`). The console's published
  revisions and accounts (`revisions`, `accounts`) hold nothing about any caller and are
  kept until removed; its drafts, counters and audit log (`audit`) expire.
- At most two round trips per webhook: one read, one compare-and-set (`sessions`), over a
  connection each process keeps (`heldconnection`) on a single server, or through a
  Redis Cluster (`client`, `cluster`); a new call's first webhook on a single server takes
  one (`first_contact`).
- Nothing here imports the web layer, the channels' renderers or the coordinators' tools.
"""
