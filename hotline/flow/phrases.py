"""The few sentences the engine itself says, around what the flow files say.

Every one is an English msgid in the catalogues (extracted through the `N_` marker), so
translators see them beside the flow prompts. Placeholders are filled after translation:
{emergency}, {person}, {helpline} come from the flow settings.
"""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


# Menus (voice)
OPTION = N_("For {label}, press {key}.")
FIXED_KEYS = N_(
    "In every menu, press star to hear it again, zero to talk to a person, or pound to go back."
)
NOT_AN_OPTION = N_("Sorry, that is not an option.")
NOTHING_HEARD = N_("Sorry, I did not hear a choice.")
AFTER_GUIDANCE = N_("To hear this again, press 1. To go back, press pound.")
# A language menu line for a language no call can be heard in (no voice, no recordings):
# said in that language, from a recording or by the voice of its `spoken_by` language.
TEXT_LINE = N_("For {language}, send a text with the word {keyword} to this number.")

# Menus (SMS)
SMS_OPTION = N_("{key} {label}")
SMS_CHOOSE = N_("Reply with a number:")
SMS_AFTER_GUIDANCE = N_("Reply MENU for the menu.")
SMS_NOT_UNDERSTOOD = N_("Sorry, I did not understand that.")
SMS_CALL_PERSON = N_("To talk to a person, call {person}.")

# Transfers
NO_PERSON = N_("No one is available to talk right now.")
DIAL_BUSY = N_("The line is busy.")
DIAL_NO_ANSWER = N_("No one answered.")
DIAL_FAILED = N_("The call could not go through.")

# When something inside the hotline breaks: never silence, always the emergency advice.
TROUBLE_VOICE = N_(
    "Sorry, this line is having a problem. If someone is not breathing or will not wake up, "
    "hang up and call {emergency} now. Please stay on the line to talk to someone."
)
TROUBLE_SMS = N_(
    "Sorry, this line is having a problem. If someone is not breathing or will not wake up, "
    "call {emergency} now. For help, call {fallback}."
)
