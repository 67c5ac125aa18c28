"""Signing and encryption keys, kept as PEM files in <data_dir>/keys/.

    office_signing.pem            this office's Ed25519 key (created on first use, mode 0600)
    retired/<name>-*.pub.pem      the public half of keys replaced by rotation (the private half is gone)
    replaced/<name>-*.pem         a key a restore from backup replaced, kept whole in case it was a mistake
    county_signing.pem            the county's Ed25519 key (county mode)
    county_encryption.pem         the county's X25519 key for encrypted packages (county mode)
    county_signing.pub.pem        at a town: the county's public key, to verify result packages
    county_encryption.pub.pem     at a town: the county's X25519 public key, to encrypt packages

See docs/keys.md for registration, backup and rotation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from core.files import write_atomically
from core.packages.errors import PackageError

KEYS_DIRNAME = "keys"
OFFICE_KEY = "office_signing"
COUNTY_KEY = "county_signing"
COUNTY_ENCRYPTION_KEY = "county_encryption"
COUNTY_PUBLIC = "county_signing.pub.pem"
COUNTY_ENCRYPTION_PUBLIC = "county_encryption.pub.pem"
PEM_BEGIN = b"-----BEGIN"


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_public_key: bytes) -> str:
    """SHA-256 of the raw public key, hex; what the county compares at registration."""
    return hashlib.sha256(raw_public_key).hexdigest()


def display_fingerprint(fp: str) -> str:
    """Groups of four characters, easy to read aloud and compare on paper."""
    return " ".join(fp[i : i + 4] for i in range(0, len(fp), 4))


def public_pem(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_signing_public(data: bytes) -> Ed25519PublicKey:
    """A public key file as handed over: PEM (after any lines of text), or 64 hex characters."""
    key = _load_public(data)
    if not isinstance(key, Ed25519PublicKey):
        raise PackageError("KEY_FILE_INVALID", "这个文件不是签名公钥（可能是加密公钥），请核对文件。")
    return key


def load_encryption_public(data: bytes) -> X25519PublicKey:
    key = _load_public(data)
    if not isinstance(key, X25519PublicKey):
        raise PackageError("KEY_FILE_INVALID", "这不是县局的加密公钥，请核对文件。")
    return key


def _load_public(data: bytes) -> Ed25519PublicKey | X25519PublicKey:
    try:
        if PEM_BEGIN in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(data.decode("ascii").strip()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageError(
            "KEY_FILE_INVALID", "这个文件不是本程序写出的公钥文件，或已损坏。请让对方重新写出公钥文件。"
        ) from exc
    if not isinstance(key, Ed25519PublicKey | X25519PublicKey):
        raise PackageError("KEY_FILE_INVALID", "这个文件中的公钥类型不对，不是本程序写出的公钥文件。")
    return key


@dataclass(frozen=True)
class KeyFileInfo:
    """What a public key file holds: the key, and the lines written above it (单位, 上报代码)."""

    key: Ed25519PublicKey | X25519PublicKey
    notes: dict[str, str]

    @property
    def signing(self) -> bool:
        return isinstance(self.key, Ed25519PublicKey)

    @property
    def fingerprint(self) -> str:
        return fingerprint(raw_public(self.key))


def read_key_file(data: bytes) -> KeyFileInfo:
    """A public key file and its notes; the notes are only hints, the fingerprint is what counts."""
    key = _load_public(data)
    text = data.split(PEM_BEGIN, 1)[0].decode("utf-8", errors="replace") if PEM_BEGIN in data else ""
    notes = {}
    for line in text.splitlines():
        label, sep, value = line.partition("：")
        if sep and label.strip() and value.strip():
            notes[label.strip()] = value.strip()
    return KeyFileInfo(key, notes)


def key_file(key: Ed25519PublicKey | X25519PublicKey, notes: dict[str, str], title: str) -> bytes:
    """A public key file people can read: a title and notes (UTF-8) above the PEM block."""
    lines = [title, *(f"{label}：{value}" for label, value in notes.items())]
    lines.append(f"指纹：{display_fingerprint(fingerprint(raw_public(key)))}")
    return ("\n".join(lines) + "\n\n").encode("utf-8") + public_pem(key)


def _stamped(name: str, key: Ed25519PublicKey | X25519PublicKey) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{name}-{fingerprint(raw_public(key))[:16]}-{stamp}"


def _write_private(path: Path, data: bytes) -> None:
    """Write through a temporary file with owner-only permissions, then rename into place."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    if os.name == "posix":
        os.chmod(path, 0o600)


def _pem(key: Ed25519PrivateKey | X25519PrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _load_private(data: bytes, password: bytes | None = None) -> Ed25519PrivateKey | X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError) as exc:
        raise PackageError(
            "KEY_BACKUP_UNREADABLE", "密钥文件无法读取：密码不对，或文件不是本程序导出的密钥备份。"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey | X25519PrivateKey):
        raise PackageError("KEY_BACKUP_UNREADABLE", "密钥文件中的密钥类型不对（应为 Ed25519 或 X25519）。")
    return key


def _private_folder(folder: Path) -> None:
    """The keys folder, readable by this user only (0700 on POSIX; Windows: the profile's ACL)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)


def key_missing(county: bool) -> PackageError:
    if county:
        return PackageError(
            "KEY_MISSING", "本机还没有县局签名密钥。请先打开“县局 → 县局密钥”，程序会生成县局的密钥。"
        )
    return PackageError(
        "KEY_MISSING", "本机还没有本所签名密钥。请先打开“上报 → 本所密钥”，程序会生成本所的密钥。"
    )


@dataclass
class KeyStore:
    """The key files of one data directory."""

    data_dir: Path
    folder: Path = field(init=False)

    def __post_init__(self) -> None:
        self.folder = self.data_dir / KEYS_DIRNAME

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pem"

    def has(self, name: str) -> bool:
        return self._path(name).exists()

    def _signing_key(self, name: str) -> Ed25519PrivateKey:
        path = self._path(name)
        if not path.exists():
            _private_folder(self.folder)
            _write_private(path, _pem(Ed25519PrivateKey.generate()))
        key = _load_private(path.read_bytes())
        assert isinstance(key, Ed25519PrivateKey)
        return key

    def office_key(self) -> Ed25519PrivateKey:
        """This office's signing key, created on first use (signing, or the key dialog)."""
        return self._signing_key(OFFICE_KEY)

    def county_key(self) -> Ed25519PrivateKey:
        """The county's signing key for result packages (county mode), created on first use."""
        return self._signing_key(COUNTY_KEY)

    def signing_public(self, county: bool = False) -> Ed25519PublicKey:
        """The public half of a signing key that exists; never creates one (#13)."""
        name = COUNTY_KEY if county else OFFICE_KEY
        if not self.has(name):
            raise key_missing(county)
        return self._signing_key(name).public_key()

    def county_encryption_key(self) -> X25519PrivateKey:
        path = self._path(COUNTY_ENCRYPTION_KEY)
        if not path.exists():
            _private_folder(self.folder)
            _write_private(path, _pem(X25519PrivateKey.generate()))
        key = _load_private(path.read_bytes())
        assert isinstance(key, X25519PrivateKey)
        return key

    def office_fingerprint(self) -> str:
        return fingerprint(raw_public(self.office_key().public_key()))

    def rotate(self, name: str = OFFICE_KEY) -> Ed25519PrivateKey:
        """Retire the current signing key and make a new one.

        Only the public half of the retired key is kept (retired/<name>-<fp>-<time>.pub.pem):
        a retired key must sign nothing more, so its private half does not stay on the disk (#13).
        """
        current = self._path(name)
        if current.exists():
            old = self._signing_key(name).public_key()
            retired = self.folder / "retired"
            _private_folder(retired)
            write_atomically(retired / f"{_stamped(name, old)}.pub.pem", public_pem(old))
            current.unlink()
        self._strip_retired()
        return self._signing_key(name)

    def _strip_retired(self) -> None:
        """Private halves that rotation kept before #13: keep only their public halves."""
        retired = self.folder / "retired"
        for path in sorted(retired.glob("*.pem")) if retired.is_dir() else []:
            if path.name.endswith(".pub.pem"):
                continue
            key = _load_private(path.read_bytes())
            write_atomically(
                path.with_name(path.name.removesuffix(".pem") + ".pub.pem"), public_pem(key.public_key())
            )
            path.unlink()

    def rotate_office_key(self) -> Ed25519PrivateKey:
        """Retire the office key (its public half kept) and make a new one; register it at the county."""
        return self.rotate(OFFICE_KEY)

    def export_backup(self, target: Path, password: str, name: str = OFFICE_KEY) -> None:
        """A password-protected copy of a private key (BestAvailableEncryption)."""
        if len(password) < 8:
            raise PackageError("KEY_PASSWORD_SHORT", "备份密码至少8个字符，请换一个更长的密码。")
        if not self.has(name):
            raise key_missing(name == COUNTY_KEY)
        key = _load_private(self._path(name).read_bytes())
        _write_private(target, _pem(key, password.encode("utf-8")))

    def restore_backup(self, source: Path, password: str, name: str = OFFICE_KEY) -> str:
        """Put a backed-up key back in place; the key it replaces is kept in replaced/.

        A restore may be a mistake (the wrong stick): the replaced key, which the other side
        may trust now, is kept whole (as protected as the key in use) so it can be put back.
        """
        key = _load_private(source.read_bytes(), password.encode("utf-8"))
        _private_folder(self.folder)
        current = self._path(name)
        if current.exists():
            old = _load_private(current.read_bytes())
            if raw_public(old.public_key()) == raw_public(key.public_key()):
                return fingerprint(raw_public(key.public_key()))
            replaced = self.folder / "replaced"
            _private_folder(replaced)
            _write_private(replaced / f"{_stamped(name, old.public_key())}.pem", current.read_bytes())
        _write_private(current, _pem(key))
        return fingerprint(raw_public(key.public_key()))

    def set_county_public(self, data: bytes) -> str:
        """At a town: keep the county's signing public key, used to verify result packages."""
        key = load_signing_public(data)
        _private_folder(self.folder)
        write_atomically(self.folder / COUNTY_PUBLIC, public_pem(key))
        return fingerprint(raw_public(key))

    def county_public(self) -> Ed25519PublicKey:
        path = self.folder / COUNTY_PUBLIC
        if not path.exists():
            raise PackageError(
                "COUNTY_KEY_MISSING",
                "本机还没有县局的公钥，无法核验县局的结果包。请在“上报 → 导入县局公钥”中导入县局的公钥文件。",
            )
        return load_signing_public(path.read_bytes())

    def county_public_or_none(self) -> Ed25519PublicKey | None:
        return self.county_public() if (self.folder / COUNTY_PUBLIC).exists() else None

    def set_county_encryption_public(self, data: bytes) -> str:
        """At a town: keep the county's encryption public key, to seal batches with; its fingerprint."""
        key = load_encryption_public(data)
        _private_folder(self.folder)
        write_atomically(self.folder / COUNTY_ENCRYPTION_PUBLIC, public_pem(key))
        return fingerprint(raw_public(key))

    def county_encryption_public(self) -> X25519PublicKey | None:
        path = self.folder / COUNTY_ENCRYPTION_PUBLIC
        if not path.exists():
            return None
        return load_encryption_public(path.read_bytes())


@dataclass(frozen=True)
class AllowedKey:
    """One office public key on the county's allow-list, with its validity window."""

    office_code: str
    public_key: bytes
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None
    # The last batch number this key may sign (set when it is replaced or revoked); None while
    # it is the office's key in use. Decides over the time window, which the signer writes.
    last_batch: int | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)


@dataclass
class AllowList:
    """The keys the county trusts, looked up by fingerprint (a package names its key)."""

    keys: list[AllowedKey] = field(default_factory=list)

    def find(self, fp: str) -> AllowedKey | None:
        return next((k for k in self.keys if k.fingerprint == fp), None)

    def for_office(self, office_code: str) -> list[AllowedKey]:
        return [k for k in self.keys if k.office_code == office_code]
