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
SMS_HELP = N_("{programme}: harm reduction help by text and phone. Support: {support}. Reply STOP to opt out.")
SMS_OPTED_IN = N_("You will get texts from {programme} again. Reply HELP for help, STOP to opt out.")

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
