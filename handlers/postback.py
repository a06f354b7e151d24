"""Postback data: a short query string such as 'a=acc&r=12', parsed strictly."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from handlers.ui import DATA_LIMIT


def encode(action: str, **params: object) -> str:
    data = urlencode({"a": action, **{k: str(v) for k, v in params.items()}})
    if len(data) > DATA_LIMIT:
        raise ValueError("postback data too long")
    return data


def decode(data: str) -> dict[str, str] | None:
    """The fields of a postback, or None when the data is not ours (malformed or forged)."""
    if not data or len(data) > DATA_LIMIT:
        return None
    try:
        pairs = parse_qsl(data, keep_blank_values=True, strict_parsing=True, max_num_fields=8)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "a" not in fields:
        return None
    return fields


# Row ids are 32-bit integer columns: a larger number cannot name a row, and PostgreSQL would refuse it.
MAX_ID = 2**31 - 1


def int_field(fields: dict[str, str], name: str) -> int | None:
    """An id field as ASCII digits below 2**31, else None (the button then "cannot be used").

    str.isdigit alone would accept "²" or "١٢" (int() refuses the first), so the check is ASCII.
    """
    raw = fields.get(name, "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None
