from portal.catalogue import vocab


def test_codes_are_unique_and_labelled_in_every_vocabulary():
    vocabularies = [value for value in vars(vocab).values() if isinstance(value, vocab.Vocabulary)]
    assert len(vocabularies) >= 10
    for vocabulary in vocabularies:
        assert len(set(vocabulary.codes)) == len(vocabulary), vocabulary.name
        for term in vocabulary:
            assert str(term.label).strip(), (vocabulary.name, term.code)


def test_design_vocabularies_are_complete():
    assert vocab.LISTING_KINDS.codes == ("academy", "activity", "learning_network", "charter_signatory", "school_project")
    assert set(vocab.REGIONS.codes) == {"antwerpen", "limburg", "oost-vlaanderen", "vlaams-brabant", "west-vlaanderen", "brussel"}
    assert set(vocab.COSTS.codes) == {"free", "paid", "reduced_rate"}
    assert len(vocab.TARGET_GROUPS) == 9 and len(vocab.THEMES) == 8 and len(vocab.FORMATS) == 10
    assert set(vocab.REGION_BY_REFNIS.values()) == set(vocab.REGIONS.codes)


def test_age_groups_are_derived_by_overlap():
    assert vocab.age_groups_for(9, 12) == ["primary", "sec1"]
    assert vocab.age_groups_for(12, 13) == ["sec1"]
    assert vocab.age_groups_for(3, 5) == ["toddler"]
    assert vocab.age_groups_for(25, None) == ["adult"]
    assert vocab.age_groups_for(16, None) == ["sec3", "young_adult", "adult"]
    assert vocab.age_groups_for(None, 6) == ["toddler", "primary"]
    assert vocab.age_groups_for(None, None) == list(vocab.AGE_GROUP_VOCABULARY.codes)
    # a listing for children under three touches no group: the portal's groups start at kleuters
    assert vocab.age_groups_for(0, 2) == []
