import pytest

from tenken.orgs.lgcode import LgCodeError, clean_lgcode, with_check_digit
from tenken.orgs.master import master_organizations


@pytest.mark.parametrize(
    ("five", "six"), [("14000", "140007"), ("14100", "141003"), ("13104", "131041"), ("13113", "131130")]
)
def test_check_digit(five, six):
    assert with_check_digit(five) == six
    assert clean_lgcode(six) == six


def test_wrong_check_digit_is_explained():
    with pytest.raises(LgCodeError) as exc:
        clean_lgcode("140008")
    assert str(exc.value) == "団体コード「140008」の検査数字が正しくありません（14000 の検査数字は 7）"


def test_prefecture_code_without_leading_zero():
    assert clean_lgcode("10006") == "010006"
    assert clean_lgcode("１４０００７") == "140007"


def test_master_list_counts():
    orgs = master_organizations()
    kinds = [o.kind for o in orgs]
    assert kinds.count("prefecture") == 47
    municipalities = [o for o in orgs if o.kind not in ("prefecture", "ward")]
    assert len(municipalities) == 1741
    kanagawa = [o for o in municipalities if o.parent_code == "140007"]
    assert len(kanagawa) == 33
