"""Verifying a package before anything of it is used.

Checks, in this order, stopping at the first failure: the zip can be read; member names are
safe and unique; the signature names a key on the allow-list and is valid over the header and
the manifest; the header is well formed, of a known format version, from the key's office and
made while the key was valid; no member is missing, extra or renamed; every hash matches; and
the batch number is the next in sequence (replays and gaps are reported).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.packages import format as f
from core.packages.header_check import check_batch_contents, is_count, parse_moment
from core.packages.keys import AllowedKey, AllowList, display_fingerprint, fingerprint
from core.packages.limits import MB, ImportLimits
from core.packages.writer import CHUNK
from core.packages.zip_end import APPENDED, COMMENT, TRUNCATED, zip_ending

# Header and manifest are small; refusing big ones keeps a hostile zip from filling memory.
MAX_CONTROL_BYTES = 16 << 20
SIGNATURE_BYTES = 96
_HEADER_FIELDS = {"format_version": int, "kind": str, "office_code": str, "number": int, "created_at": str}

Seen = Mapping[str, Mapping[int, str]]  # office code -> {batch number: manifest sha256}


class Rejected(Exception):
    """Internal: carries the first failure out of the chain of checks."""

    def __init__(self, code: str, message: str, member: str | None = None) -> None:
        super().__init__(code)
        self.problem = Problem(code, message, member)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    member: str | None = None


@dataclass
class Verification:
    """The verdict on one package; `header` and `manifest` are trustworthy only when ok."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, str] = field(default_factory=dict)
    manifest_sha256: str = ""
    key: AllowedKey | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def code(self) -> str:
        return self.problems[0].code if self.problems else "PKG_OK"

    @property
    def message(self) -> str:
        if self.problems:
            return self.problems[0].message
        h = self.header
        return f"数据包核验通过：{h.get('office_code')} 第{h.get('number')}批，签名和全部文件完整。"


def verify_package(
    path: Path,
    allow_list: AllowList,
    seen_sequences: Seen,
    allow_gap: bool = False,
    limits: ImportLimits | None = None,
) -> Verification:
    """Verify a batch package from a town against the county's allow-list and what it has seen."""
    result = _verify(path, f.KIND_BATCH, allow_list.find, limits)
    if result.ok:
        _check_sequence(result, seen_sequences, allow_gap)
    return result


def verify_results(
    path: Path, county_key: Ed25519PublicKey, office_code: str, seen: Mapping[int, str]
) -> Verification:
    """Verify a result package from the county, at the town that holds the county's public key."""
    raw = county_key.public_bytes_raw()
    trusted = AllowedKey("county", raw, dt.datetime.min)
    result = _verify(path, f.KIND_RESULTS, lambda fp: trusted if fp == trusted.fingerprint else None)
    if result.ok:
        _check_results_target(result, office_code, seen)
    return result


def _verify(
    path: Path, kind: str, lookup: Callable[[str], AllowedKey | None], limits: ImportLimits | None = None
) -> Verification:
    result = Verification(path)
    try:
        if limits is not None:
            check_file_size(path, limits)
        with _open_zip(path) as zf:
            _check_names(zf)
            if limits is not None:
                _check_sizes(zf, limits)
            header_bytes, manifest_bytes = _read_control(zf, f.HEADER), _read_control(zf, f.MANIFEST)
            result.key = _check_signature(zf, kind, header_bytes, manifest_bytes, lookup)
            result.header = _parse_header(header_bytes, kind, result.key)
            result.manifest = _parse_manifest(manifest_bytes)
            result.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
            _check_members(zf, result.manifest)
            _check_hashes(zf, result.manifest)
            if kind == f.KIND_BATCH:
                check_batch_contents(zf, result.header, result.manifest, Rejected)
    except Rejected as exc:
        result.problems.append(exc.problem)
    return result


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise Rejected("PKG_FILE_MISSING", f"找不到数据包文件 {path}，请检查U盘或所选路径。")
    try:
        with path.open("rb") as fh:
            start = fh.read(4)
        # Checking the end first matters: a cut-off package could otherwise be read as the
        # roster.xlsx stored inside it, which is a zip file of its own (core/packages/zip_end.py).
        if start == b"PK\x03\x04":
            _check_ending(path)
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Rejected(
            "PKG_NOT_A_ZIP", f"文件 {path.name} 不是 SubsidyDesk 数据包（不是zip文件）。"
        ) from None
    except OSError as exc:
        raise Rejected("PKG_UNREADABLE", f"无法读取数据包 {path.name}：{exc.strerror}。") from exc


def _check_ending(path: Path) -> None:
    ending = zip_ending(path)
    if ending == TRUNCATED:
        raise Rejected(
            "PKG_TRUNCATED",
            f"数据包 {path.name} 不完整（文件被截断，可能拷贝时U盘被拔出）。请让报送方重新拷贝。",
        )
    if ending == COMMENT:
        raise Rejected(
            "PKG_ARCHIVE_COMMENT",
            f"数据包 {path.name} 的末尾被加上了压缩包注释，本程序写出的数据包没有注释：文件在导出后被改动过。"
            "请让报送方重新拷贝。",
        )
    if ending == APPENDED:
        raise Rejected(
            "PKG_TRAILING_BYTES",
            f"数据包 {path.name} 的末尾多出了不属于数据包的内容：文件在导出后被改动过。请让报送方重新拷贝。",
        )


def _check_names(zf: zipfile.ZipFile) -> None:
    names = zf.namelist()
    if len(names) != len(set(names)):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise Rejected("PKG_MEMBER_DUPLICATE", f"数据包中有重名的文件：{'、'.join(dup)}，数据包已被改动。")
    for name in names:
        if not f.is_safe_name(name):
            raise Rejected("PKG_MEMBER_NAME_INVALID", f"数据包中有不允许的文件名：{name!r}。", name)
    for name in (f.SIGNATURE, f.HEADER, f.MANIFEST):
        if name not in names:
            raise Rejected(
                "PKG_MEMBER_MISSING", f"数据包缺少文件 {name}，不能使用。请让报送方重新导出。", name
            )


def check_file_size(path: Path, limits: ImportLimits) -> None:
    """A package file larger than the county takes in (checked before it is read or decrypted)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # _open_zip tells what is wrong with the path
    if size > limits.package_bytes:
        raise Rejected("PKG_TOO_LARGE", _too_large(path.name, size, limits.package_bytes))


def _too_large(name: str, size: int, cap: int) -> str:
    return (
        f"数据包 {name} 有 {size // MB} MB，超过县局接收上限 {cap // MB} MB，未导入。"
        "请核对是否为本县站所导出的数据包；确需接收的，请在县局设置中调高上限。"
    )


def _check_sizes(zf: zipfile.ZipFile, limits: ImportLimits) -> None:
    """What the members say they unpack to, before a byte of them is read (a zip bomb stops here)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.package_bytes:
        raise Rejected("PKG_TOO_LARGE", _too_large(Path(zf.filename or "").name, total, limits.package_bytes))
    for info in infos:
        if info.filename.startswith(f.ATTACHMENTS_DIR) and info.file_size > limits.attachment_bytes:
            raise Rejected(
                "PKG_ATTACHMENT_TOO_LARGE",
                f"数据包中的附件 {info.filename} 有 {info.file_size // MB} MB，超过县局对单个附件的接收上限 "
                f"{limits.attachment_bytes // MB} MB，未导入。站所保存的扫描件不会超过 8 MB，请与该站所核对。",
                info.filename,
            )


# What zipfile raises on damaged members: bad headers, broken deflate streams, cut data, an
# unknown compression method or an encrypted member (NotImplementedError, RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def _read_control(zf: zipfile.ZipFile, name: str) -> bytes:
    if zf.getinfo(name).file_size > MAX_CONTROL_BYTES:
        raise Rejected("PKG_MEMBER_TOO_LARGE", f"数据包中的 {name} 大得不正常，数据包不能使用。", name)
    try:
        return zf.read(name)
    except ZIP_ERRORS as exc:
        raise Rejected("PKG_MEMBER_CORRUPT", f"数据包中的 {name} 已损坏，无法读出。", name) from exc


def _check_signature(
    zf: zipfile.ZipFile, kind: str, header: bytes, manifest: bytes, lookup: Callable[[str], AllowedKey | None]
) -> AllowedKey:
    sig = _read_control(zf, f.SIGNATURE)
    if len(sig) != SIGNATURE_BYTES:
        raise Rejected("PKG_SIGNATURE_MALFORMED", "数据包的签名文件格式不对，数据包不能使用。", f.SIGNATURE)
    fp = fingerprint(sig[:32])
    key = lookup(fp)
    if key is None:
        raise Rejected(
            "PKG_KEY_NOT_ALLOWED",
            f"数据包的签名密钥（指纹 {display_fingerprint(fp)}）不在已登记的密钥名单中。"
            "如是新站所或换过密钥，请先在“县局 → 站所密钥登记”中核对指纹并登记。",
        )
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            sig[32:], f.signed_message(kind, header, manifest)
        )
    except InvalidSignature:
        raise Rejected(
            "PKG_SIGNATURE_INVALID",
            "数据包签名核验失败：批次信息或文件清单在签名后被改动过。数据包不能使用。",
        ) from None
    return key


def _parse_header(data: bytes, kind: str, key: AllowedKey) -> dict[str, Any]:
    try:
        header = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise Rejected("PKG_HEADER_INVALID", "批次信息（header.json）无法读取。", f.HEADER) from exc
    if not isinstance(header, dict) or any(
        not isinstance(header.get(k), t) for k, t in _HEADER_FIELDS.items()
    ):
        raise Rejected("PKG_HEADER_INVALID", "批次信息（header.json）缺少必要的项目。", f.HEADER)
    if header["format_version"] not in f.READABLE_VERSIONS or isinstance(header["format_version"], bool):
        raise Rejected(
            "PKG_FORMAT_VERSION",
            f"数据包格式版本为 {header['format_version']}，本程序只认识版本 "
            f"{'、'.join(map(str, f.READABLE_VERSIONS))}。请升级程序后再导入。",
        )
    if header["kind"] != kind:
        raise Rejected("PKG_WRONG_KIND", "这不是此处要导入的数据包类型（报送包与结果包不能混用）。")
    if not is_count(header["number"], least=1):
        raise Rejected(
            "PKG_NUMBER_INVALID", "批次信息中的批次号不是从 1 起的整数，数据包不能使用。", f.HEADER
        )
    _check_key_window(header, key)
    return header


def _check_key_window(header: dict[str, Any], key: AllowedKey) -> None:
    if key.office_code != "county" and header["office_code"] != key.office_code:
        raise Rejected(
            "PKG_OFFICE_MISMATCH",
            f"数据包自称来自 {header['office_code']}，但签名密钥登记在 {key.office_code} 名下。数据包不能使用。",
        )
    try:
        created = parse_moment(header["created_at"])
    except ValueError as exc:
        raise Rejected("PKG_HEADER_INVALID", "批次信息中的生成时间格式不对。", f.HEADER) from exc
    if key.last_batch is not None:
        # Rotation and revocation are by batch number: the signer writes the time (#13).
        if header["number"] > key.last_batch:
            raise Rejected(
                "PKG_KEY_RETIRED",
                f"该签名密钥已更换或停用，只能签署到第{key.last_batch}批；这个数据包是第{header['number']}批，"
                "不能使用。请让站所用新密钥重新导出，或核对是否有人冒用旧密钥。",
            )
    elif not key.valid_at(created):
        raise Rejected(
            "PKG_KEY_NOT_VALID_THEN",
            f"数据包生成于 {created:%Y-%m-%d %H:%M}，当时该签名密钥不在有效期内（已更换、已停用或尚未启用）。",
        )


def _parse_manifest(data: bytes) -> dict[str, str]:
    manifest = f.parse_manifest(data)
    if manifest is None or f.HEADER not in manifest:
        raise Rejected("PKG_MANIFEST_INVALID", "文件清单（manifest-sha256.txt）格式不对。", f.MANIFEST)
    return manifest


def _check_members(zf: zipfile.ZipFile, manifest: dict[str, str]) -> None:
    present = set(zf.namelist()) - f.CONTROL_MEMBERS
    missing, extra = sorted(set(manifest) - present), sorted(present - set(manifest))
    wanted = {manifest[m]: m for m in missing}
    for name in extra:
        if missing and _hash_member(zf, name) in wanted:
            raise Rejected(
                "PKG_MEMBER_RENAMED",
                f"数据包中的文件 {wanted[_hash_member(zf, name)]} 被改名为 {name}。数据包不能使用。",
                name,
            )
    if missing:
        raise Rejected(
            "PKG_MEMBER_MISSING", f"数据包缺少文件：{'、'.join(missing[:5])}。数据包不能使用。", missing[0]
        )
    if extra:
        raise Rejected(
            "PKG_MEMBER_EXTRA",
            f"数据包中多出清单以外的文件：{'、'.join(extra[:5])}。数据包不能使用。",
            extra[0],
        )


def _hash_member(zf: zipfile.ZipFile, name: str) -> str:
    sha = hashlib.sha256()
    try:
        with zf.open(name) as src:
            while chunk := src.read(CHUNK):
                sha.update(chunk)
    except ZIP_ERRORS as exc:
        raise Rejected("PKG_MEMBER_CORRUPT", f"数据包中的文件 {name} 已损坏，无法读出。", name) from exc
    return sha.hexdigest()


def _check_hashes(zf: zipfile.ZipFile, manifest: dict[str, str]) -> None:
    for name in sorted(manifest):
        if _hash_member(zf, name) != manifest[name]:
            raise Rejected(
                "PKG_HASH_MISMATCH", f"数据包中的文件 {name} 与清单中的校验值不符，内容被改动或损坏。", name
            )


def _check_sequence(result: Verification, seen_sequences: Seen, allow_gap: bool) -> None:
    office, number = result.header["office_code"], result.header["number"]
    seen = seen_sequences.get(office, {})
    if number in seen:
        if seen[number] == result.manifest_sha256:
            result.problems.append(
                Problem(
                    "PKG_REPLAY",
                    f"{office} 第{number}批已经导入过，这是同一个数据包（重复导入不会改变任何数据）。",
                )
            )
        else:
            result.problems.append(
                Problem(
                    "PKG_SEQUENCE_REUSED",
                    f"{office} 第{number}批已经导入过另一个不同的数据包，同一批次号不能再用。请与该站所核对。",
                )
            )
        return
    expected = max(seen, default=0) + 1
    if number > expected and not allow_gap:
        gap = "、".join(str(n) for n in range(expected, number))
        result.problems.append(
            Problem("PKG_SEQUENCE_GAP", f"{office} 第{number}批之前的第{gap}批尚未导入。请先导入缺少的批次。")
        )


def _check_results_target(result: Verification, office_code: str, seen: Mapping[int, str]) -> None:
    h = result.header
    if h["office_code"] != office_code:
        result.problems.append(
            Problem("PKG_NOT_FOR_THIS_OFFICE", f"这个结果包是发给 {h['office_code']} 的，不是本所的。")
        )
    elif h["number"] in seen:
        same = seen[h["number"]] == result.manifest_sha256
        code = "PKG_REPLAY" if same else "PKG_SEQUENCE_REUSED"
        result.problems.append(Problem(code, f"县局第{h['number']}号结果包已经导入过。"))
    elif h["number"] < max(seen, default=0):
        result.problems.append(
            Problem("PKG_RESULTS_OUTDATED", f"已导入更新的结果包，第{h['number']}号结果包已过时。")
        )
