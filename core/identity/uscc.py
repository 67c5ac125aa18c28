"""统一社会信用代码 (GB 32100-2015): 18 characters, MOD 31 check character."""

from __future__ import annotations

from core.errors import ValidationError
from core.identity.text import fold_code

FIELD = "统一社会信用代码"
# The code alphabet excludes I, O, S, V and Z so they are never confused with digits.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Return the normalised code or raise ValidationError."""
    code = fold_code(raw)
    if not code:
        raise ValidationError("USCC_EMPTY", FIELD, "请填写统一社会信用代码（见营业执照）。")
    if len(code) != 18:
        raise ValidationError(
            "USCC_LENGTH", FIELD, f"统一社会信用代码应为18位，现在是{len(code)}位，请对照营业执照核对。"
        )
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        raise ValidationError(
            "USCC_CHARS",
            FIELD,
            f"统一社会信用代码中不应出现“{'、'.join(bad)}”（代码不使用I、O、S、V、Z），请核对。",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            "USCC_CHECKSUM", FIELD, "统一社会信用代码校验位不正确，可能有字符输错，请对照营业执照逐位核对。"
        )
    return code
