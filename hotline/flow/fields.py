"""The field types every flow file shares (`hotline.yaml`, `languages.yaml`, `services.yaml`).

Rules this module keeps:
- Unknown keys are errors and every model is immutable (`_Strict`); numbers written where
  text is expected (`key: 1`) are accepted as text.
- One sentence or keyword may be written as plain text instead of a one-item list.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints


def _as_list(value):
    """Let a coordinator write one sentence as a plain string instead of a one-item list."""
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: One sentence may be written as plain text instead of a one-item list (the JSON Schema says so too).
Sentences = Annotated[tuple[Text, ...], BeforeValidator(_as_list, json_schema_input_type=Text | list[Text])]
NodeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
MenuKey = Annotated[str, StringConstraints(pattern=r"^[1-9]$")]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Keywords = Annotated[tuple[Keyword, ...], BeforeValidator(_as_list, json_schema_input_type=Keyword | list[Keyword])]
