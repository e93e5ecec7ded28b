"""The console's navigation, drawn by the base template for the roles that may open each page."""

#: The navigation: (endpoint, label, lowest role that sees it), in order.
NAV = [
    ("console.flow", "Flow", "viewer"),
    ("console.languages", "Languages", "translator"),
    ("console.services", "Services", "viewer"),
    ("console.recordings", "Recordings", "translator"),
    ("console.draft", "Check and publish", "viewer"),
    ("console.drafts", "Drafts", "publisher"),
    ("console.tryout", "Try", "viewer"),
    ("console.history", "History", "viewer"),
    ("console.usage", "Usage", "viewer"),
    ("console.alerts", "Alerts", "publisher"),
    ("console.alert_reports", "Reports", "publisher"),
    ("console.users", "Accounts", "admin"),
    ("console.audit", "Audit log", "admin"),
]

#: Pages shown only when drug-supply alerts are on (HOTLINE_ALERTS).
NEEDS_ALERTS = {"console.alerts", "console.alert_reports"}
