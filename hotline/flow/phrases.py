"""The few sentences the engine itself says, around what the flow files say.

Every one is an English msgid in the catalogues (extracted through the `N_` marker), so
translators see them beside the flow prompts. Placeholders are filled after translation:
{emergency}, {person}, {helpline} come from the flow settings.
"""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


# The first sentence of every call, before the language menu (see settings.emergency_languages).
EMERGENCY_FIRST = N_("If someone is not breathing, hang up and call {emergency}.")

# Menus (voice)
OPTION = N_("For {label}, press {key}.")
FIXED_KEYS = N_("In any menu, press star to hear it again. Press zero to talk to a person. Press pound to go back.")
NOT_AN_OPTION = N_("Sorry, that is not an option.")
NOTHING_HEARD = N_("Sorry, I did not hear a choice.")
AFTER_GUIDANCE = N_("To hear this again, press 1. To get this by text, press 2. To go back, press pound.")
MORE_TIME_KEY = N_("If you need more time to answer, press 8.")
MORE_TIME_OFFER = N_("If you need more time, press 8.")
MORE_TIME_ON = N_("You now have more time to answer.")
PRESS_A_KEY = N_("Sorry, I did not catch that. Please press a key.")
OTHER_LANGUAGE = N_("For another language, press pound.")

# Menus (SMS)
SMS_OPTION = N_("{key} {label}")
SMS_CHOOSE = N_("Reply with a number:")
SMS_AFTER_GUIDANCE = N_("Reply MENU for the menu.")
SMS_NOT_UNDERSTOOD = N_("Sorry, I did not understand that.")
SMS_CALL_PERSON = N_("To talk to a person, call {person}.")
SMS_ONLY_TEXT = N_("Sorry, I can only read text, not pictures.")
SMS_MORE = N_("Reply MORE for the rest.")
# MORE when the last reply was sent whole: nothing is left; the menu follows.
SMS_NOTHING_MORE = N_("That was all.")
# Under a first texter's first reply: the words that switch language, in a few bytes ("ES FR VI").
SMS_OTHER_LANGUAGES = N_("For your language, text: {words}")
SMS_HELP = N_(
    "If someone is not breathing, call {emergency}. {programme}: harm reduction help by text and phone. "
    "Support: {support}. Reply STOP to opt out."
)
# The confirmation of an opt-out word Twilio does not answer itself (PARAR, 停止), in the texter's language.
SMS_OPTED_OUT = N_("You will get no more texts from {programme}. Reply START to get them again.")
SMS_OPTED_IN = N_("You will get texts from {programme} again. Reply HELP for help, STOP to opt out.")

# Transfers
# Said in a language no call can be held in yet (no voice, no recordings), from a recording
# or by the voice of its `spoken_by` language, before a person is rung (docs/languages.md).
VOICELESS_PERSON = N_("Please stay on the line. A person will answer, and they can get an interpreter.")
NO_PERSON = N_("No one is available to talk right now.")
DIAL_BUSY = N_("The line is busy.")
DIAL_NO_ANSWER = N_("No one answered.")
DIAL_FAILED = N_("The call could not go through.")

# Services: a service's state, inside other sentences. {time} and {day} are formatted
# for the language by Babel; {when} is one of the OPENS_ phrases.
OPEN_ALL_DAY = N_("open 24 hours")
OPEN_UNTIL = N_("open until {time}")
CLOSED_NOW = N_("closed now, opens {when}")
OPENS_TODAY = N_("today at {time}")
OPENS_TOMORROW = N_("tomorrow at {time}")
OPENS_ON = N_("on {day} at {time}")
OPENS_LATER = N_("in more than two weeks")
SERVICE_LINE = N_("{name}: {phone}, {status}.")
SERVICE_CLOSED = N_("{name} is {status}.")

# Transfers to services
CONNECTING = N_("Connecting you to {name}. Please stay on the line.")
CONNECTING_ANY = N_("Calling {count} services at once. You will talk to the first one that answers.")
NONE_OPEN = N_("None of these services is open right now.")
VOICEMAIL_CONSENT = N_(
    "You can leave a message after the tone. It is recorded, and only our staff will listen to it. "
    "Say your phone number only if you want a call back. Press pound when you are done. "
    "If you do not want to leave a message, just stay quiet."
)
NUMBERS_INTRO = N_("Numbers you can call:")
SMS_CALL_SERVICES = N_("You can call:")

# Finding services near a ZIP code
INVALID_ZIP = N_("Sorry, that is not a five-digit US ZIP code.")
NEARBY_INTRO = N_("Open now near you:")
NEARBY_LINE = N_("{name}, about {distance} miles away, {status}. Call {phone}.")
NEARBY_LINE_CLOSE = N_("{name}, less than a mile away, {status}. Call {phone}.")
NONE_OPEN_NEARBY = N_("No service near you is open right now.")
NOT_NEAR = N_("We do not know of services near that ZIP code yet.")
NATIONAL_INTRO = N_("Free lines that anyone can call:")
AFTER_RESULTS = N_(
    "To hear this again, press 1. To get this by text, press 2. To try another ZIP code, press 3. "
    "To go back, press pound."
)
SMS_AFTER_RESULTS = N_("Reply with another ZIP code, or MENU for the menu.")

# "Text me this": what the caller hears after asking for a text.
TEXT_SENT = N_("I sent you a text message.")
TEXT_OPTED_OUT = N_("This number asked not to get texts from us, so no text was sent.")
TEXT_NOT_MOBILE = N_("This phone number cannot get text messages, so no text was sent.")
TEXT_FAILED = N_("Sorry, the text could not be sent right now.")
TEXT_ALREADY_SENT = N_("I already sent you a text about this.")
TEXT_NO_MORE = N_("No more texts can be sent on this call.")

# Screening: said to whoever answers a transfer, before the caller is connected.
SCREEN_WHISPER = N_("Hotline call, {language} speaker. Press 1 to accept.")
SCREEN_ACCEPTED = N_("Connecting.")

# A caller asked to be forgotten ("forget me", or the language menu's key).
FORGOTTEN_CALL = N_("Done: this line has deleted what it kept about your phone number.")

# When something inside the hotline breaks: never silence, always the emergency advice.
TROUBLE_VOICE = N_(
    "Sorry, this line is having a problem. If someone is not breathing or will not wake up, "
    "hang up and call {emergency} now. If not, stay on the line to talk to someone."
)
TROUBLE_SMS = N_(
    "Sorry, this line is having a problem. If someone is not breathing or will not wake up, "
    "call {emergency} now. For help, call {fallback}."
)
