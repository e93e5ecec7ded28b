"""The coordinators' console at /console: see, edit, check, try, publish and roll back.

Only loaded when `HOTLINE_CONSOLE=on`: `create_app` imports this package then, and the
webhook blueprints never import it. Everything here runs on console requests only
(the blueprint's own before/after request hooks), so webhooks do no console work.

How it is put together (server-rendered Jinja, htmx for the live parts, a little plain
JavaScript in static/console.js, the CodeMirror bundle in static/vendor/):
- `guard`    every request: sign-in (Flask-Login), 30-minute idle timeout, CSRF (Flask-WTF)
             on every POST, security headers (CSP without inline scripts, no framing, no-store).
- `auth`     sign in, second factor (TOTP, recovery codes), first password, sign out.
- `working`  the version a coordinator looks at: their draft, else the published revision;
             checked with `run_check` (cached by content) and problems mapped to nodes.
- `see`      the diagram (`diagram` lays it out) and one node's sentences in every language.
- `edit`     a sentence in place (`sentences` rewrites YAML and .po text), a whole flow file
             in the YAML editor, and the live check it calls as the coordinator types.
- `publish`  the draft's check, publish, discard, merge (`merge`), history, diffs, rollback.
- `tryout`   the web simulator (`simulate`): keypad phone or SMS thread, on the draft or the
             published version; it touches no real session, limit, opt-out, figure or Twilio.
- `admin`    accounts and the audit log (admins).

Adding a page: write a view in a module of its own with `@bp.get(...)` and
`@require("viewer")` (or a higher role), import the module at the bottom of `views.py`,
and add a `(endpoint, label, role)` line to `NAV` below; the base template draws the
navigation from `NAV`, showing each link only to the roles that may open it.
"""

from __future__ import annotations

#: The navigation: (endpoint, label, lowest role that sees it), in order.
NAV = [
    ("console.flow", "Flow", "viewer"),
    ("console.draft", "Check and publish", "viewer"),
    ("console.tryout", "Try", "viewer"),
    ("console.history", "History", "viewer"),
    ("console.users", "Accounts", "admin"),
    ("console.audit", "Audit log", "admin"),
]


def init_console(app, hotline, live) -> None:
    """Register the console on `app`; `live` is the `LiveRevisions` the webhooks serve."""
    from .views import install

    install(app, hotline, live)
