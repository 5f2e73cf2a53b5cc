"""全国地方公共団体コード (local government code): six digits, the last a check digit.

For the first five digits abcde: S = 6a+5b+4c+3d+2e, r = S mod 11, check = (11 − r) mod 10.
神奈川県 14000 → 140007, 横浜市 14100 → 141003.
"""

from __future__ import annotations

import unicodedata

WEIGHTS = (6, 5, 4, 3, 2)


class LgCodeError(ValueError):
    """A code that is not a valid 団体コード; the message is Japanese."""


def check_digit(first_five: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_five, WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def with_check_digit(first_five: str) -> str:
    return f"{first_five}{check_digit(first_five)}"


def clean_lgcode(value: object) -> str:
    """Validate and return the 6-digit code; a 5-digit code (a prefecture code that lost its leading zero,
    e.g. ``10006``) is padded with ``0`` only when that makes a valid 6-digit code; other five digits are the
    code without its check digit, refused with the 6-digit code to type (``13101`` → 「131016」).
    """
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    if not raw.isdigit():
        raise LgCodeError(f"団体コード「{value}」は数字6桁で入力してください")
    if len(raw) == 5:
        if int(raw[5 - 1]) != check_digit("0" + raw[:4]):
            # Not a 6-digit code that lost its leading zero (10006 → 010006): the five digits without their
            # check digit (千代田区 13101 → 131016).
            raise LgCodeError(f"団体コード「{value}」は5桁です。検査数字を付けた6桁の「{with_check_digit(raw)}」で指定してください")
        raw = "0" + raw
    if len(raw) != 6:
        raise LgCodeError(f"団体コード「{value}」は数字6桁で入力してください")
    expected = check_digit(raw[:5])
    if int(raw[5]) != expected:
        raise LgCodeError(
            f"団体コード「{value}」の検査数字が正しくありません（{raw[:5]} の検査数字は {expected}）"
        )
    return raw


def prefecture_code_of(code: str) -> str:
    """The prefecture's 団体コード for any code: 141003 → 140007."""
    return with_check_digit(code[:2] + "000")
