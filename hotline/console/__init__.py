"""The coordinators' console at /console: see, edit, check, try, publish and roll back.

Rules this package keeps:
- It is loaded only when `HOTLINE_CONSOLE=on` (`create_app` imports it then) and the
  webhook blueprints never import it. Its hooks are the blueprint's own, so a webhook
  request runs no console code.
- What a coordinator sees and edits is a revision's files, checked with `run_check` like
  `python -m hotline check`; nothing here reads or shows anything about a caller.
- Every edit goes to the person's own draft; only publishing (publisher role, 0 errors,
  a note) changes what callers hear.

How it is put together (server-rendered Jinja, htmx for the live parts, a little plain
JavaScript in static/console.js, the CodeMirror bundle in static/vendor/):
- `guard`    every request: sign-in (Flask-Login), 30-minute idle timeout, CSRF (Flask-WTF)
             on every POST, security headers (CSP without inline scripts, no framing, no-store).
- `auth`     sign in, second factor (TOTP, recovery codes), first password, sign out.
- `catalogue` the console's own words (gettext domain `console`) in each account's chosen
             language; `preferences` is where an account chooses it.
- `working`  the version a coordinator looks at: their draft, else the published revision;
             checked with `run_check` (cached by content) and problems mapped to nodes.
- `see`      the diagram (`diagram` lays it out) and one node's sentences in every language.
- `edit`     a sentence in place (`sentences` rewrites YAML and .po text), a whole flow file
             in the YAML editor, and the live check it calls as the coordinator types.
- `publish`  the draft's check, publish, discard, merge (`merge`), history, diffs, rollback.
- `tryout`   the web simulator (`simulate`): keypad phone or SMS thread, on the draft or the
             published version; it touches no real session, limit, opt-out, figure or Twilio.
- `admin`    accounts and the audit log (admins).
- `usage`    the usage figures (`hotline.usage`): charts and tables of a date range, CSV of
             each view and the quarterly report; calls that ended at each node on the diagram.

Adding a page: write a view in a module of its own with `@bp.get(...)` and
`@require("viewer")` (or a higher role), add the module to the import line in `install.py`,
and add a `(endpoint, label, role)` line to `NAV` in `nav.py`; the base template draws the
navigation from `NAV`, showing each link only to the roles that may open it.
"""

from __future__ import annotations


def init_console(app, hotline, live) -> None:
    """Register the console on `app`; `live` is the `LiveRevisions` the webhooks serve."""
    from .install import install

    install(app, hotline, live)
