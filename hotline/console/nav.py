"""The console's navigation, drawn by the base template for the roles that may open each page.

The labels are marked for the console's catalogue here and translated when the page is drawn.
"""

from .marks import N_

#: The navigation: (endpoint, label, lowest role that sees it), in order.
NAV = [
    ("console.flow", N_("Flow"), "viewer"),
    ("console.languages", N_("Languages"), "translator"),
    ("console.services", N_("Services"), "viewer"),
    ("console.recordings", N_("Recordings"), "translator"),
    ("console.draft", N_("Check and publish"), "viewer"),
    ("console.drafts", N_("Drafts"), "publisher"),
    ("console.tryout", N_("Try"), "viewer"),
    ("console.history", N_("History"), "viewer"),
    ("console.usage", N_("Usage"), "viewer"),
    ("console.alerts", N_("Alerts"), "publisher"),
    ("console.alert_reports", N_("Reports"), "publisher"),
    ("console.users", N_("Accounts"), "admin"),
    ("console.audit", N_("Audit log"), "admin"),
]

#: Pages shown only when drug-supply alerts are on (HOTLINE_ALERTS).
NEEDS_ALERTS = {"console.alerts", "console.alert_reports"}
