"""The form fields Twilio sends with each webhook, for a fictional US caller or texter.

A call's webhooks carry 25 fields before the ones of the step (Digits and FinishedOnKey
after a key press: 27; the transfer's result: 28), a text's 20: the caller's and the
hotline's City, State, Zip and Country four times over (From/To, Caller/Called), as
Twilio's voice and messaging webhook references list them. Both costs that grow with the
fields, the form parse and the signature, are then paid as in production.

Rules this module keeps: no I/O; the numbers are fictional (555-01XX), the places real
but chosen by the number's area code only, so the same number always comes from the
same place.
"""

from __future__ import annotations

ACCOUNT_SID = "AC" + "0" * 32
MESSAGING_SERVICE_SID = "MG" + "0" * 32
HOTLINE_NUMBER = "+12025550100"
HOTLINE_PLACE = ("WASHINGTON", "DC", "20004")
#: (city, state, ZIP) a caller's area code is placed in; Twilio sends them upper-case.
PLACES = (
    ("SAN FRANCISCO", "CA", "94103"), ("BALTIMORE", "MD", "21201"), ("PHOENIX", "AZ", "85004"),
    ("BOSTON", "MA", "02108"), ("DENVER", "CO", "80202"), ("SEATTLE", "WA", "98101"),
    ("PHILADELPHIA", "PA", "19107"), ("PORTLAND", "OR", "97205"),
)


def place(number: str) -> tuple[str, str, str]:
    return PLACES[int(number[2:5]) % len(PLACES)]


def call_fields(call_sid: str, caller: str, status: str = "in-progress") -> list[tuple[str, str]]:
    """The 25 fields of every voice webhook of an inbound call (sorted, as Twilio sends them)."""
    city, state, zip_code = place(caller)
    to_city, to_state, to_zip = HOTLINE_PLACE
    return [
        ("AccountSid", ACCOUNT_SID), ("ApiVersion", "2010-04-01"), ("CallSid", call_sid), ("CallStatus", status),
        ("Called", HOTLINE_NUMBER), ("CalledCity", to_city), ("CalledCountry", "US"), ("CalledState", to_state),
        ("CalledZip", to_zip), ("Caller", caller), ("CallerCity", city), ("CallerCountry", "US"),
        ("CallerState", state), ("CallerZip", zip_code), ("Direction", "inbound"), ("From", caller),
        ("FromCity", city), ("FromCountry", "US"), ("FromState", state), ("FromZip", zip_code),
        ("To", HOTLINE_NUMBER), ("ToCity", to_city), ("ToCountry", "US"), ("ToState", to_state), ("ToZip", to_zip),
    ]


def key_fields(digits: str) -> list[tuple[str, str]]:
    """What a `<Gather>` adds when the caller pressed keys (an empty Digits: silence)."""
    return [("Digits", digits), ("FinishedOnKey", "")] if digits else []


def dial_fields(dial_sid: str, status: str) -> list[tuple[str, str]]:
    """What a `<Dial>`'s action adds: the transferred leg's result."""
    return [("DialCallDuration", "31" if status == "completed" else "0"), ("DialCallSid", dial_sid),
            ("DialCallStatus", status)]


def status_fields() -> list[tuple[str, str]]:
    """What the status callback adds at the end of a call."""
    return [("CallDuration", "95"), ("Timestamp", "Tue, 24 Nov 2026 01:00:00 +0000")]


def text_fields(texter: str, body: str, message_sid: str) -> list[tuple[str, str]]:
    """The 20 fields of an incoming text through a messaging service."""
    city, state, zip_code = place(texter)
    to_city, to_state, to_zip = HOTLINE_PLACE
    return [
        ("AccountSid", ACCOUNT_SID), ("ApiVersion", "2010-04-01"), ("Body", body), ("From", texter),
        ("FromCity", city), ("FromCountry", "US"), ("FromState", state), ("FromZip", zip_code),
        ("MessageSid", message_sid), ("MessagingServiceSid", MESSAGING_SERVICE_SID), ("NumMedia", "0"),
        ("NumSegments", "1"), ("SmsMessageSid", message_sid), ("SmsSid", message_sid), ("SmsStatus", "received"),
        ("To", HOTLINE_NUMBER), ("ToCity", to_city), ("ToCountry", "US"), ("ToState", to_state), ("ToZip", to_zip),
    ]
