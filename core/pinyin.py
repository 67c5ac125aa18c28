"""The pinyin sort key of a name, as an office files its applicants: 李 before 刘 before 王.

pypinyin reads the characters (its dictionary of phrases picks the reading of 重, 长, 行 in
context); a person's family name is read as a family name (曾 zeng, 单 shan, 解 xie), which a
dictionary of words would read otherwise. The key is plain lowercase syllables without tones,
one space between them, so that "li ming" sorts before "liu"; characters with no pinyin
(Latin letters, digits, brackets) stay as they are. The key is stored with the person and the
organisation (core/applicants.py) and filled for older rows by migration 0005_pinyin.
"""

from __future__ import annotations

# Family names whose ordinary reading differs: the first character of a person's name.
SURNAMES = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha",
    "缪": "miao", "翟": "zhai", "种": "chong", "乐": "yue", "覃": "qin", "员": "yun", "盖": "ge",
    "召": "shao", "秘": "bi", "尉": "yu", "万俟": "mo qi", "长孙": "zhang sun", "尉迟": "yu chi",
    "单于": "chan yu", "洗": "xian", "冼": "xian", "繁": "po", "折": "she", "阚": "kan", "柏": "bai",
}  # fmt: skip
MAX_LENGTH = 200  # the column's width; a longer name is cut (its order is decided by then)


def sort_key(name: str, person: bool = True) -> str:
    """'王秀兰' -> 'wang xiu lan'; a person's family name read as a family name."""
    from pypinyin import Style, lazy_pinyin

    name = name.strip()
    head, rest = _family_name(name) if person else ("", name)
    syllables = [head] if head else []
    syllables += [s.strip() for s in lazy_pinyin(rest, style=Style.NORMAL, errors="default") if s.strip()]
    return " ".join(syllables).lower()[:MAX_LENGTH]


def _family_name(name: str) -> tuple[str, str]:
    for length in (2, 1):
        if name[:length] in SURNAMES:
            return SURNAMES[name[:length]], name[length:]
    return "", name
