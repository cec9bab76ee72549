"""Fuzzing e-mail intake: random MIME trees around genuine workbooks.

Every genuine workbook in the tree is found (a candidate whose bytes are the
workbook's), and every other leaf is accounted for (a candidate, or a skipped
entry with its reason): the number of leaves equals candidates + skipped.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email import policy
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import genuine, mails
from kc_excel.consolidate.intake import Intake

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=140)
LEAVES = st.one_of(
    st.just(("text",)), st.just(("pdf",)), st.just(("unnamed",)), st.just(("by-type",)),
    st.tuples(st.just("named"), NAMES), st.tuples(st.just("junk"), st.binary(max_size=64)),
)
TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(st.tuples(st.sampled_from(["mixed", "alternative"]),
                                         st.lists(children, min_size=1, max_size=3)),
                               st.tuples(st.just("forward"), children)),
    max_leaves=6,
)


def _leaf(node: tuple, workbook: bytes) -> EmailMessage:
    message = EmailMessage()
    kind = node[0]
    if kind == "text":
        message.set_content("Kính gửi Trung tâm Khuyến công.")
    elif kind == "pdf":
        message.set_content(b"%PDF-1.4 cong van", maintype="application", subtype="pdf", filename="cong-van.pdf")
    elif kind == "unnamed":
        message.set_content(workbook, maintype="application", subtype="octet-stream", disposition="attachment")
    elif kind == "by-type":
        message.set_content(workbook, maintype=mails.XLSX[0], subtype=mails.XLSX[1], disposition="attachment")
    elif kind == "named":
        message.set_content(workbook, maintype="application", subtype="octet-stream", filename=f"{node[1]}.xlsx")
    else:
        message.set_content(node[1], maintype="application", subtype="octet-stream", filename="rac.xlsx")
    return message


def build(node: tuple, workbook: bytes) -> tuple[EmailMessage, int, int]:
    """(message, number of leaves, number of genuine workbooks) of a tree."""
    if node[0] in ("mixed", "alternative"):
        container = MIMEMultipart(node[0], policy=policy.default)
        leaves = found = 0
        for child in node[1]:
            part, n, g = build(child, workbook)
            container.attach(part)
            leaves, found = leaves + n, found + g
        return container, leaves, found
    if node[0] == "forward":
        inner, leaves, found = build(node[1], workbook)
        wrapper = EmailMessage()
        wrapper.set_content(mails.headers(inner) if inner["From"] is None else inner)
        return wrapper, leaves, found
    return _leaf(node, workbook), 1, int(node[0] in ("unnamed", "by-type", "named"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(tree=TREES)
def test_random_mime_trees_every_workbook_found_every_part_accounted_for(tree, tmp_path_factory, base):
    workbook = base.read_bytes()
    message, leaves, genuine_count = build(tree, workbook)
    folder = tmp_path_factory.mktemp("mail")
    (folder / "thu.eml").write_bytes(bytes(mails.headers(message) if message["From"] is None else message))
    with Intake(folder) as intake:
        candidates = intake.collect()
        found = sum(1 for c in candidates if c.error is None and Path(c.path).read_bytes() == workbook)
        assert found == genuine_count, (tree, candidates)
        assert len(candidates) + len(intake.skipped) == leaves, (tree, candidates, intake.skipped)
        assert all(len(Path(c.display).name.encode()) <= 120 for c in candidates)
