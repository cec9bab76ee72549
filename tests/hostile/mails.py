"""E-mails as units and mail clients send them: forwarded, single-part, unnamed, S/MIME, broken base64."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from functools import lru_cache

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def headers(message: EmailMessage, sender: str = "ubnd@xa.example.vn") -> EmailMessage:
    message["From"], message["To"] = sender, "khuyencong@example.vn"
    message["Subject"], message["Date"] = "Phiếu đăng ký 2026", "Mon, 05 Jan 2026 09:00:00 +0700"
    return message


def with_attachments(attachments: list[tuple[str | None, bytes]], *, text: str = "Kính gửi Trung tâm.",
                     maintype: str = XLSX[0], subtype: str = XLSX[1]) -> EmailMessage:
    """A letter with ``attachments`` (a None name: an attachment without a file name)."""
    message = headers(EmailMessage())
    message.set_content(text)
    for name, data in attachments:
        if name is None:
            message.add_attachment(data, maintype="application", subtype="octet-stream")
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def forwarded(inner: EmailMessage) -> EmailMessage:
    outer = headers(EmailMessage())
    outer.set_content("Chuyển tiếp thư của xã.")
    outer.add_attachment(inner)
    return outer


def single_part(data: bytes, name: str | None = "Phiếu.xlsx") -> EmailMessage:
    """The whole message is the workbook (no multipart container)."""
    message = headers(EmailMessage())
    message.set_content(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


def broken_base64(data: bytes, name: str = "Phiếu hỏng.xlsx") -> bytes:
    """A letter whose attachment's base64 has stray characters and lost padding."""
    encoded = base64.b64encode(data).decode()
    damaged = encoded[:100] + "*!*" + encoded[100:-2].rstrip("=")
    return (f"From: xa@example.vn\r\nTo: ttkc@example.vn\r\nSubject: dk\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nThư.\r\n"
            f"--B\r\nContent-Type: {XLSX[0]}/{XLSX[1]}\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{damaged}\r\n--B--\r\n").encode()


def signed_multipart(inner: EmailMessage) -> EmailMessage:
    """multipart/signed: the signed content, then a (not verified) pkcs7 signature."""
    outer = headers(EmailMessage())
    outer.set_type("multipart/signed")
    outer.set_param("protocol", "application/pkcs7-signature")
    content = EmailMessage()
    for name in ("Content-Type", "Content-Transfer-Encoding"):
        if inner[name] is not None:
            content[name] = inner[name]
    content.set_payload(inner.get_payload())
    signature = EmailMessage()
    signature.set_content(b"\x30\x80signature", maintype="application", subtype="pkcs7-signature",
                          filename="smime.p7s")
    outer.attach(content)
    outer.attach(signature)
    return outer


@lru_cache(maxsize=1)
def _signer():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND xa")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .sign(key, hashes.SHA256()))
    return cert, key


def _pkcs7_mail(der: bytes, smime_type: str) -> EmailMessage:
    message = headers(EmailMessage())
    message.set_content(der, maintype="application", subtype="pkcs7-mime", filename="smime.p7m")
    message.replace_header("Content-Type", f"application/pkcs7-mime; smime-type={smime_type}; name=smime.p7m")
    return message


def opaque_signed(inner: EmailMessage) -> EmailMessage:
    """application/pkcs7-mime signed-data with the content inside (Outlook's "opaque" signing)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert, key = _signer()
    der = (pkcs7.PKCS7SignatureBuilder().set_data(bytes(inner)).add_signer(cert, key, hashes.SHA256())
           .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    return _pkcs7_mail(der, "signed-data")


def encrypted(inner: EmailMessage) -> EmailMessage:
    """application/pkcs7-mime enveloped-data: only the recipient's key opens it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert, _key = _signer()
    der = pkcs7.PKCS7EnvelopeBuilder().set_data(bytes(inner)).add_recipient(cert).encrypt(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    return _pkcs7_mail(der, "enveloped-data")
