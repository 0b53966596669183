"""The owned Dutch word lists behind the analysis: only what no maintained data source knows (lemmas come
from simplemma, compounds from wordfreq's frequencies). All entries are folded (lowercase, no accents).

Extend them when search-quality cases show a gap; tests/search/test_lexicon.py pins every entry.
"""

# Dutch function words, plus words parents add around what they look for ("iets met ... voor mijn zoon").
STOP_WORDS = frozenset("""
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou jouw kan
kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons onze ook op over
reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we welk welke werd wezen wie wil worden
wordt zal ze zelf zich zij zijn zo zonder zou graag zoek zoeken zoekt ergens leuk leuke pas net waar houdt samen
""".split())

# Words parents add about whom or what they look for ("iets met dna voor mijn zoon", "activiteit met
# verrekijkers"): they rank the documents that name them higher but need not be in a document.
SOFT_WORDS = frozenset("kind zoon dochter jongen meisje activiteit".split())

# Prefixes and endings that are words of their own too (ver: far, schap: a shelf, eren: to honour), so that
# word frequencies alone would split verkennen into ver + kennen and wetenschappen into weten + schappen.
# Never a compound's part.
NOT_PARTS = frozenset("ver her ont pro inter schap schappen eren".split())

# What neither simplemma's lexicon (lemmas.py) nor the stemmer gets right, mapped to one final index term.
# tests/search/test_lexicon.py has a case for every entry.
IRREGULAR = {
    "kids": "kind",  # an English loan the lexicon does not know
    **dict.fromkeys(["meisje", "meisjes", "meid", "meiden", "meidje"], "meisje"),  # meid: a girl, not a maid
    # the stemmer makes jongen "jong", which would join boys with jongeren (young people)
    **dict.fromkeys(["jongen", "jongens", "jongetje", "jongetjes"], "jongen"),
    # the stemmer makes zoon "zon" (the sun); the lexicon reads zonen as zones
    **dict.fromkeys(["zoon", "zonen", "zoontje"], "zoon"),
    "bladeren": "blad",  # the lexicon takes it for the verb (to leaf through)
}

# Words parents and providers use for the same thing, or for closely related fields of STEM. A query for one
# also finds the others, with less weight than the word typed (matching.SYNONYM_WEIGHT); documents are not
# changed. Owned, because no open Dutch thesaurus or wordnet installs from a registry (Debian has no
# mythes-nl; the `wn` package downloads its wordnets at run time). tests/search/test_lexicon.py has a case
# per group.
SYNONYM_GROUPS = (
    ("programmeren", "programmeer", "coderen", "codeer", "code", "programmatie"),
    ("robot", "robotica"),
    ("sterrenkunde", "astronomie", "sterrenkijken"),
    ("proef", "proefje", "experiment", "experimenteren"),
    ("techniek", "technologie"),
    ("chemie", "scheikunde"),
    ("natuurkunde", "fysica"),
    ("wiskunde", "wiskundig"),
    ("ai", "artificiele", "kunstmatige"),
    ("leerkracht", "leraar", "lerares", "docent", "juf", "meester"),
    ("nascholing", "vorming", "professionalisering"),
    ("lesmateriaal", "lespakket", "lesmap", "lesmaterialen"),
    ("gratis", "kosteloos"),
    ("meisje", "dochter"),
    ("kinderen", "jongeren"),
    ("jongen", "zoon"),
    ("informatica", "computerwetenschappen", "computerwetenschap", "ict"),
    ("meetkunde", "geometrie"),
    ("biologie", "levenswetenschappen", "biowetenschappen"),
    ("aardrijkskunde", "geografie"),
    ("elektronica", "elektrotechniek"),
    ("ingenieurswetenschappen", "engineering"),
)
