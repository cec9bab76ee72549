"""KC_DOCSO / read_amount against references it did not write (issue 13 item 1).

- A words → number parser written here, independently of
  :func:`kc_excel.numbers.words_to_number`, reads every text back.
- ``num2words(lang="vi")`` is a foil only where it is right: whole numbers
  below 10^12 whose groups after the first are 000 or have a hundreds digit
  (elsewhere it writes "một nghìn lẻ một" for 1001, "một phẩy năm mươi" for 1,5).
- Amounts computed the way sheets compute them (×1,1, ×1,15, sums of decimals)
  are floats: the expected value is the exact Decimal result, i.e. what Excel
  shows, never the binary noise.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from num2words import num2words

from kc_excel.numbers import NotANumberError, read_amount
from kc_excel.numbers.words import MAX_FRACTION_DIGITS, MAX_WHOLE_DIGITS

# ------------------------------------------------------------------ the independent reader

_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
_STRUCTURE = {"mươi", "mười", "trăm"}


def _below_thousand(tokens: list[str]) -> int:
    value, i = 0, 0
    while i < len(tokens):
        token, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
        if token in ("linh", "lẻ"):
            i += 1
        elif token == "mười":
            value, i = value + 10, i + 1
        elif after == "trăm":
            value, i = value + 100 * _DIGIT[token], i + 2
        elif after == "mươi":
            value, i = value + 10 * _DIGIT[token], i + 2
        else:
            value, i = value + _DIGIT[token], i + 1
    assert value < 1000, tokens
    return value


def _whole(tokens: list[str]) -> int:
    if "tỷ" in tokens:
        cut = len(tokens) - 1 - tokens[::-1].index("tỷ")
        return _whole(tokens[:cut]) * 10**9 + _whole(tokens[cut + 1:])
    total = 0
    for scale, power in (("triệu", 6), ("nghìn", 3), ("ngàn", 3)):
        if scale in tokens:
            cut = tokens.index(scale)
            total += _below_thousand(tokens[:cut]) * 10**power
            tokens = tokens[cut + 1:]
    return total + _below_thousand(tokens)


def _fraction(tokens: list[str]) -> str:
    if not _STRUCTURE & set(tokens):
        return "".join(str(_DIGIT[token]) for token in tokens)
    zeros = 0
    while tokens[zeros] == "không" and tokens[zeros + 1] != "trăm":
        zeros += 1
    return "0" * zeros + str(_below_thousand(tokens[zeros:]))


def read_back(text: str, unit: str = "đồng") -> Decimal:
    """Vietnamese words → the number, as a person reads them."""
    body = text.lower()
    if unit:
        assert body.endswith(" " + unit), text
        body = body[: -len(unit) - 1]
    sign = "-" if body.startswith("âm ") else ""
    whole, _, fraction = body.removeprefix("âm ").partition(" phẩy ")
    digits = str(_whole(whole.split())) + ("." + _fraction(fraction.split()) if fraction else "")
    return Decimal(sign + digits)  # from text: exact at every size


# ------------------------------------------------------------------ floats as Excel shows them


def test_issue_examples():
    assert read_amount(6624040000 * 1.1) == (
        "Bảy tỷ hai trăm tám mươi sáu triệu bốn trăm bốn mươi bốn nghìn đồng")
    assert read_amount(0.1 + 0.2, "") == "Không phẩy ba"


def _sheet_amounts(rng: random.Random, count: int) -> list[tuple[float, Decimal]]:
    """(float as a sheet computes it, the exact result Excel shows) pairs."""
    pairs = []
    for _ in range(count):
        kind = rng.randrange(3)
        if kind == 0:  # an amount in đồng × a rate
            base, rate = rng.randrange(1, 10**10) * 10, rng.choice(["1.1", "1.15", "1.05", "0.9", "1.08"])
            pairs.append((base * float(rate), base * Decimal(rate)))
        elif kind == 1:  # an amount in triệu đồng with decimals × a rate
            base, rate = Decimal(rng.randrange(1, 10**7)).scaleb(-3), rng.choice(["1.1", "1.15", "0.95"])
            pairs.append((float(base) * float(rate), base * Decimal(rate)))
        else:  # a sum of amounts with one or two decimals
            parts = [Decimal(rng.randrange(1, 10**6)).scaleb(-rng.choice([1, 2])) for _ in range(rng.randint(2, 6))]
            pairs.append((sum(float(p) for p in parts), sum(parts)))
    return pairs


def test_2000_computed_amounts_read_as_excel_shows_them():
    pairs = _sheet_amounts(random.Random(13), 2000)
    noisy = sum(1 for value, exact in pairs if Decimal(repr(value)) != exact)
    assert noisy > 100  # the set does exercise binary noise
    wrong = [(value, exact) for value, exact in pairs if read_back(read_amount(value)) != exact]
    assert not wrong[:5]


def test_no_float_noise_in_words():
    for value, _ in _sheet_amounts(random.Random(7), 500):
        assert "không không không" not in read_amount(value)


# ------------------------------------------------------------------ text and Decimal stay exact


@pytest.mark.parametrize("value", [10**28 + 1, Decimal(10**28 + 1), str(10**28 + 1), "-" + str(10**35 + 7)])
def test_large_numbers_are_read_exactly(value):
    assert read_back(read_amount(value)) == Decimal(value)


def test_random_long_decimals_are_read_exactly():
    rng = random.Random(28)
    for _ in range(300):
        whole = rng.randrange(10 ** rng.randint(1, MAX_WHOLE_DIGITS))
        fraction = str(rng.randrange(10 ** rng.randint(1, MAX_FRACTION_DIGITS))).rstrip("0")
        number = Decimal(f"{whole}.{fraction or 0}")
        assert read_back(read_amount(number, ""), "") == number
        assert read_back(read_amount(str(number), ""), "") == number


@pytest.mark.parametrize("value", [Decimal(10**MAX_WHOLE_DIGITS), Decimal("0." + "1" * (MAX_FRACTION_DIGITS + 1))])
def test_beyond_the_bound_is_refused_not_rounded(value):
    with pytest.raises(NotANumberError, match="quá dài để đọc thành chữ"):
        read_amount(value)


# ------------------------------------------------------------------ num2words as a foil


def _num2words_is_right(number: int) -> bool:
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    return all(group == 0 or group >= 100 for group in groups[:-1])


def test_agrees_with_num2words_where_it_is_right():
    rng = random.Random(12)
    numbers = [rng.randrange(10 ** rng.randint(1, 12)) for _ in range(6000)]
    checked = [n for n in numbers if _num2words_is_right(n)]
    assert len(checked) > 2000
    for number in checked:
        assert read_amount(number, "", le=True).lower() == num2words(number, lang="vi"), number


def test_num2words_is_wrong_where_we_say_so():
    """The foil's own limits, so that the domain above is not chosen to hide our mistakes."""
    assert num2words(1001, lang="vi") == "một nghìn lẻ một"
    assert read_amount(1001, "") == "Một nghìn không trăm linh một"


# ------------------------------------------------------------------ one rule, one formatter


_PACKAGE = Path(__file__).resolve().parent.parent / "kc_excel"
_OTHER_RULES = re.compile(r"repr\(value\)|\.15g|Decimal\(str\(|Decimal\(repr\(|:,\}")


def test_one_float_rule_and_one_formatter_live_in_numbers():
    offenders = [f"{path.relative_to(_PACKAGE)}:{n}" for path in _PACKAGE.rglob("*.py")
                 if path.parent.name != "numbers"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if _OTHER_RULES.search(line)]
    assert not offenders


def test_words_to_number_is_exact_and_bounded():
    from kc_excel.numbers import words_to_number

    number = Decimal("-" + "9" * MAX_WHOLE_DIGITS + "." + "9" * MAX_FRACTION_DIGITS)
    assert words_to_number(read_amount(number)) == number
    with pytest.raises(NotANumberError, match="dài hơn"):
        words_to_number("một " * 1000)
