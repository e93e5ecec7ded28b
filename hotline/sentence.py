"""`Sentence`: English a shared module says to a coordinator, which the console can translate.

The alert desk (and the terminal that shares it) speaks English. A `Sentence` is that
English filled in, so printing it or comparing it is unchanged, and it keeps the marked
English and its values, so the console shows it in each coordinator's language
(`console.catalogue.said`). Its first argument is extracted into the console's catalogue:
babel-console.cfg lists the files that use it and the extract command passes `-k Sentence`
(docs/console.md); the callers' extraction and the check do not know the keyword, so none of
these reach what callers hear.
"""

from __future__ import annotations


class Sentence(str):
    message: str
    values: dict

    def __new__(cls, message: str, /, **values):
        made = super().__new__(cls, message % values if values else message)
        made.message, made.values = message, values
        return made
