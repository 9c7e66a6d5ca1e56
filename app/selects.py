"""Select-field choices in the shape WTForms 3.3+ expects (tuples are deprecated)."""
from wtforms.fields.choices import SelectChoice


def select_choices(pairs) -> list[SelectChoice]:
    """[(value, label), ...] → SelectChoice options, in the same order."""
    return [SelectChoice(value, label) for value, label in pairs]
