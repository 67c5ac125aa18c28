"""Ways a workbook gets damaged on the way from an organisation to the office (shared by the
roster fuzz tests and bench/fuzz_roster.py)."""

from __future__ import annotations

import io
import random
import zipfile


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One damaged copy of an .xlsx: bytes flipped or cut, or a zip member broken or emptied."""
    kind = rng.choice(
        ["flip", "cut", "member_bytes", "member_cut", "member_xml", "drop_member", "junk_member"]
    )
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "cut":
        return data[: rng.randrange(len(data))]
    return _member(data, rng, kind)


def _member(data: bytes, rng: random.Random, kind: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = rng.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            body = source.read(name)
            if name == victim:
                if kind == "drop_member":
                    continue
                body = _damage(body, rng, kind)
            target.writestr(name, body)
        if kind == "junk_member":
            target.writestr("xl/worksheets/sheet9.xml", bytes(rng.randrange(256) for _ in range(200)))
    return out.getvalue()


def _damage(body: bytes, rng: random.Random, kind: str) -> bytes:
    if kind == "member_cut":
        return body[: rng.randrange(max(1, len(body)))]
    if kind == "member_xml":
        text = body.decode("utf-8", "replace")
        cut = rng.randrange(max(1, len(text)))
        return (
            text[:cut] + rng.choice(["<", "</x>", "&bad;", '"', '<row r="-1">', "\x00"]) + text[cut:]
        ).encode()
    out = bytearray(body)
    for _ in range(rng.randint(1, 10)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)
