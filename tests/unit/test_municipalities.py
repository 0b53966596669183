from collections import Counter

from portal.reference import municipalities


def test_flemish_and_brussels_municipalities_after_the_2025_mergers():
    found = municipalities.all_municipalities()
    per_region = Counter(m.region for m in found)
    assert per_region["brussel"] == 19
    assert sum(per_region.values()) - per_region["brussel"] == 285  # Flanders since 1 January 2025
    assert set(per_region) == {"antwerpen", "limburg", "oost-vlaanderen", "vlaams-brabant", "west-vlaanderen", "brussel"}


def test_merged_municipalities_have_their_new_code_and_all_postcodes():
    tongeren_borgloon = next(m for m in municipalities.all_municipalities() if m.name == "Tongeren-Borgloon")
    assert tongeren_borgloon.region == "limburg"
    assert {"3700", "3840"} <= set(tongeren_borgloon.postcodes)
    assert tongeren_borgloon.code == "73111"
    assert municipalities.get("73083") is None  # the former Tongeren code is gone
    assert municipalities.get("71016").name == "Genk"


def test_find_by_name_ignores_case_and_accents_and_by_postcode():
    assert [m.name for m in municipalities.find("genk")] == ["Genk"]
    assert "Gent" in [m.name for m in municipalities.find("9000")]
    assert municipalities.find("  ") == []
    assert "Liège" not in [m.name for m in municipalities.find("lie")]  # Wallonia is not in the catalogue
