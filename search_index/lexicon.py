"""The owned Dutch word lists behind the analysis. All entries are folded (lowercase, no accents).

Extend them when search-quality cases show a gap; tests/search pins the behaviour they give.
"""

# Dutch function words, plus words parents add around what they look for ("iets met ... voor mijn zoon").
STOP_WORDS = frozenset("""
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou jouw kan
kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons onze ook op over
reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we welk welke werd wezen wie wil worden
wordt zal ze zelf zich zij zijn zo zonder zou graag zoek zoeken zoekt ergens leuk leuke pas net
""".split())

# Forms no stemmer joins reliably, mapped to one index term. Values are final (not stemmed again).
IRREGULAR = {
    **dict.fromkeys(["kind", "kinderen", "kids", "kindje", "kindjes"], "kind"),
    **dict.fromkeys(["meisje", "meisjes", "meid", "meiden", "meidje"], "meisje"),
    **dict.fromkeys(["jongen", "jongens", "jongetje", "jongetjes"], "jongen"),
    **dict.fromkeys(["zoon", "zonen", "zoontje"], "zoon"),  # not "zon" (sun), where the stemmer takes it
    **dict.fromkeys(["dochter", "dochters", "dochtertje"], "dochter"),
    **dict.fromkeys(["leerling", "leerlingen"], "leerling"),
    **dict.fromkeys(["les", "lessen", "lesje", "lesjes"], "les"),
    **dict.fromkeys(["stad", "steden"], "stad"),
    **dict.fromkeys(["schip", "schepen", "scheepje"], "schip"),
    **dict.fromkeys(["ei", "eieren", "eitje", "eitjes"], "ei"),
    **dict.fromkeys(["blad", "bladeren", "blaadje", "blaadjes"], "blad"),
    **dict.fromkeys(["gemeente", "gemeenten", "gemeentes"], "gemeente"),
    # The stemmer strips a leading ge- (gebouwd -> bouw), which is wrong for these nouns.
    **dict.fromkeys(["gezond", "gezonde", "gezondheid"], "gezond"),
    **dict.fromkeys(["gezin", "gezinnen"], "gezin"),
    **dict.fromkeys(["gebouw", "gebouwen"], "gebouw"),
    **dict.fromkeys(["gebied", "gebieden"], "gebied"),
    **dict.fromkeys(["geluid", "geluiden"], "geluid"),
    **dict.fromkeys(["generatie", "generaties"], "generatie"),
    **dict.fromkeys(["gereedschap", "gereedschappen"], "gereedschap"),
    **{word: word for word in ("geschiedenis", "geld", "genetica", "geneeskunde", "geologie", "geografie",
                               "gevoel", "geheugen", "gewicht", "gesprek", "gedrag")},
}

# Words parents use for the same thing. A query for one finds the others; documents are not changed.
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
    ("kamp", "vakantiekamp"),
)

# Parts from which compounds are recognised (programmeerclub = programmeer + club).
COMPOUND_PARTS = frozenset("""
robot robots kamp kampen club academie atelier workshop programmeer codeer code lego drone zomer winter herfst
lente krokus paas kerst vakantie klimaat energie wetenschap wetenschappen techniek technologie natuur sterren ster
kijken kunde wiskunde reken proef proeven lab labo dag week middag namiddag avond les pakket materiaal netwerk
project school klas leer water zonne wind auto wagen bouw bouwen maak maker space print printer printen game spel
spelen chemie fysica onderzoek ontdek ontdekking uitvinder uitvinding elektro elektronica computer data cyber
veilig veiligheid zorg fiets trein ruimte raket vlieg vliegtuig brug bruggen zee oceaan strand plastic afval
circulair duurzaam voedsel kook keuken tuin plant planten dier dieren insect vogel fossiel dino meisjes kinder
jongeren jeugd ouder gezin familie doe speel denk ingenieur machine motor sensor schakel stroom licht lucht
aarde planeet maan zon micro bit scratch app website film foto video muziek kunst design ontwerp hout metaal
textiel naai knutsel bioloog biologie wonder uitdaging olympiade wedstrijd quiz team cursus opleiding stage
sterrenkunde natuurkunde scheikunde techniek
""".split())
