"""ASVS password rules and the list of common passwords they use."""

from portal.accounts.password_rules import common_passwords, password_problems


def test_the_common_password_list_is_the_shipped_one():
    found = common_passwords()
    assert len(found) > 19000
    assert {"123456", "password", "iloveyou", "qwerty123"} <= found


def test_length_and_common_passwords(app):
    assert password_problems("kort") and password_problems("1234567")
    assert password_problems("password1") and password_problems("PassWord1")  # case does not help
    assert password_problems("x" * 257)
    assert password_problems("fietsbel") == []  # 8 characters, no composition rules
    assert password_problems("een zin van vier woorden " * 4) == []  # 100 characters
