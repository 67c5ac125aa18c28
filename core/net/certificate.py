"""The service's TLS certificate: a self-signed one made on request, and its fingerprint.

Towns do not trust a certificate authority for the county's service; they pin the SHA-256
fingerprint of its certificate, which the county prints on its key slip (密钥登记表) and the
town types into 上报服务设置. A certificate from an authority works the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.files import write_atomically


def make_self_signed(cert_path: Path, key_path: Path, hosts: list[str], years: int = 10) -> str:
    """Write a new certificate and key (PEM; the key readable by the owner only); its fingerprint."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts else "subsidydesk")])
    alt: list[x509.GeneralName] = []
    for host in hosts or ["localhost"]:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_atomically(key_path, pem_key)
    key_path.chmod(0o600)
    write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def certificate_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def file_fingerprint(cert_path: Path) -> str:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def normalise_fingerprint(text: str) -> str:
    """What a clerk types from the slip: groups, colons, upper case and full-width digits allowed."""
    from core.identity.text import fold_width

    return "".join(ch for ch in fold_width(text).lower() if ch in "0123456789abcdef")
