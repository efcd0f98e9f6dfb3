"""The who-said-it engine (transforms.speakers): figure sources, figures inside quotes (quote
speaker cases: tests/cases/quotes.jsonl and test_quotes)."""
import pytest

from transforms.extract import extract_document


@pytest.mark.parametrize("text, expected", [
    # a figure inside a direct quotation is its speaker's, also when the speaker follows the quote
    ("“We registered 7,350 new arrivals this month,” said Ana Ribeiro, head of the relief office.",
     [("7,350", "Ana Ribeiro")]),
    # a quote no one is named for leaves the figure to its sentence's frames
    ("Some 40 boats sank, the Coast Guard said, and “another 12 are missing” near the reef.",
     [("40", "Coast Guard"), ("12", "Coast Guard")]),
])
def test_figures_inside_a_quote_take_its_speaker(text, expected):
    assert [(f.text, f.attribution) for f in extract_document(text).figures] == expected


@pytest.mark.parametrize("text, expected", [
    # an inverted frame with an apposition closes its sentence: it reports the figures before it
    ("Output will reach 10 tonnes within a decade, said Ana Ribeiro, a spokeswoman for the United Nations, on Friday.",
     [("10 tonnes", "Ana Ribeiro")]),
    # ", claims X sources have ..." is no inverted frame: the subject is followed by its own verb
    ("The UN registered 7,350 new arrivals, and Kenya, claims Human Rights Watch sources, sent 400.",
     [("7,350", "United Nations"), ("400", "United Nations")]),
    # reporting frames beyond "said": a day between source and verb, "documented", a report noun
    ("Human Rights Watch on Monday reported that 61 volunteers had been trained.", [("61", "Human Rights Watch")]),
    ("Amnesty International documented 320 violations last year.", [("320", "Amnesty International")]),
    # the source of an earlier sentence carried to "the review shows"; "it said", "the company said"
    ("Amnesty International published its annual review on Monday. Some 18,000 volunteers took part in 2023, "
     "the review shows.", [("18,000", "Amnesty International")]),
    ("Toyota Motor Corp posted results. It said sales grew 8.8 pct to 7.2 billion dlrs.",
     [("8.8 pct", "Toyota Motor"), ("7.2 billion dlrs", "Toyota Motor")]),
    ("Toyota Motor Corp met analysts. At the meeting the company said it would earn about 73 mln dlrs.",
     [("73 mln dlrs", "Toyota Motor")]),
    # "according to <nationality> <title> <name>": the person, not the nationality
    ("According to Kenyan President William Ruto, 600 officers will go.", [("600", "William Ruto")]),
    # a source word the entity rules left unmarked ("Li added") is the person named earlier whose name holds it
    ("Output will reach 10 tonnes, said Li Wenhua, a spokesman for the venture. The mine will pay off its "
     "70 billion yen debt, Li added.", [("10 tonnes", "Li Wenhua"), ("70 billion yen", "Li Wenhua")]),
    # "<organisation> in <place> reported": the organisation, not the place (F50); a state body
    # named without its country takes the country's name in its canonical (E59)
    ("The Ministry of Water in Mongolia reported 212 burst pipes.", [("212", "Ministry of Water of Mongolia")]),
    # a time adjunct of several words between source and verb (F47): "last week", "earlier this month"
    ("The World Health Organization last week reported 1,200 deaths.", [("1,200", "World Health Organization")]),
    ("Oxfam earlier this month said 40 clinics had closed.", [("40", "Oxfam")]),
    # the plain forms of reporting verbs after a plural data noun (F47): "X data show", "figures indicate"
    ("Data from the World Bank show 30 percent of households are poor.", [("30 percent", "World Bank")]),
    ("Exports rose 4 pct in May, Bank of Spain figures show.", [("4 pct", "Bank of Spain")]),
    ("Oxfam quoted figures from the Ministry of Health indicating that 300 clinics had closed.",
     [("300", "Ministry of Health")]),
    # "according to the Ministry of Health" names that ministry, not "the ministry" named before;
    # an unmarked name opening with an anaphor's words names no one; the bare anaphor still points back
    ("Oxfam met donors. Some 300 clinics closed, according to the Ministry of Health.",
     [("300", "Ministry of Health")]),
    ("Oxfam met donors. According to the Agency for Refugees, 300 people fled.", [("300", None)]),
    ("Oxfam met donors. According to the agency, 300 people fled.", [("300", "Oxfam")]),
    # "is reporting that", "according to figures from X", "X's survey shows"
    ("Oxfam is reporting that 61 volunteers had been trained.", [("61", "Oxfam")]),
    ("Some 900 homes were lost, according to figures from the World Health Organization.",
     [("900", "World Health Organization")]),
    ("Oxfam's survey shows 3,000 families left.", [("3,000", "Oxfam")]),
    # an unnamed analyst of an organisation the entity rules did not mark again: the organisation
    # named earlier whose name holds the word; a common word ("Police") names no organisation
    ("Nomura Research Institute published its outlook. The Nomura analyst said a 10 pct decline was likely.",
     [("10 pct", "Nomura Research Institute")]),
    ("The Haitian National Police met. Police said 40 people died.", [("40", None)]),
    # after "according to", a person the entity rules left unmarked, spelt without the name's accent
    ("President Recep Tayyip Erdoğan spoke. According to a statement by Erdogan's office, 40 people died.",
     [("40", "Recep Tayyip Erdoğan")]),
    ("President Recep Tayyip Erdoğan spoke. According to Monday's report, 40 people died.", [("40", None)]),
    # "<person> of <organisation> announced": the person
    ("Director Anthony Fauci of the World Health Organization announced a trial of four drugs.",
     [("four", "Anthony Fauci")]),
    # source openers beyond "according to" (source_openers.tsv)
    ("In a situation report of the World Health Organization, storms damaged 143 buildings.",
     [("143", "World Health Organization")]),
    # "according to X" inside its sentence reports what follows it; opening or closing it, all of it
    ("The quake killed 62 people, including, according to UNICEF, 54 children.",
     [("62", None), ("54", "UNICEF")]),
    ("The quake killed 62 people and injured 54, according to UNICEF.",
     [("62", "UNICEF"), ("54", "UNICEF")]),
    # a place or nationality before a role noun is an unnamed group, not the place; its government is the country
    ("Some 20 people died, according to Philippine officials.", [("20", None)]),
    ("U.S. officials said 40 people died.", [("40", None)]),
    ("Kenya said 40 people died.", [("40", "Kenya")]),
    ("Samoa closed its schools. The government has reported 165 new cases.", [("165", "Samoa")]),
    ("Samoa closed its schools. According to government reports, 54 children died.", [("54", "Samoa")]),
    # a passive frame's subject is reported on, not reporting
    ("President William Ruto met aides. He was found after 30 hours.", [("30 hours", None)]),
    ("Kuwait, which denied quota violations, was estimated to be pumping 1.4 mln bpd.", [("1.4 mln bpd", None)]),
    # a comma after "<person> of <organisation> (ACRONYM)" before the verb; an apposition's bracket is no subject
    ("Director Ana Ribeiro of the World Health Organization (WHO), announced a trial of four drugs.",
     [("four", "Ana Ribeiro")]),
    ("Ana Ribeiro, an economist for the American Soybean Association (ASA), said the harvest could total "
     "18 mln tonnes.", [("18 mln tonnes", "Ana Ribeiro")]),
    # "went on to" between a pronoun and its verb (speaker_gap_words.tsv); "described" reports
    ("Dr Ana Ribeiro spoke in Lima. She went on to say 300 people fled.", [("300", "Ana Ribeiro")]),
    ("Ana Ribeiro, of the Lima provincial council, described witnessing 35 bodies.", [("35", "Ana Ribeiro")]),
    # a reporting verb inside a name is none ("the United States" holds "states")
    ("UNICEF met. According to the Centers for Disease Control in the United States, 1,000 children fell ill.",
     [("1,000", None)]),
    # "estimates by X" names the source (source_openers.tsv); "placed the" reports, "placed an order" does not
    ("Homes were destroyed with some estimates by the Red Cross ranging from 45% to 60%.",
     [("45% to 60%", "Red Cross")]),
    ("The news agency AFP has placed the death count in the hundreds.", [("hundreds", "Agence France-Presse")]),
    ("Toyota Motor Corp placed a 6 mln dlrs order.", [("6 mln dlrs", None)]),
    # a pronoun after a quote is its speaker's, as a quote's "he said" is ("He went on to say ...")
    ("Ana Ribeiro, a colleague of Dr Li Wenhua, said: “We can win.” She went on to say 300 lives were saved.",
     [("300", "Ana Ribeiro")]),
    # "the chain's press release reported": the organisation named before
    ("Tesco Plc sold stores. The chain's press release reported 22 sold units.", [("22", "Tesco")]),
])

def test_figure_sources(text, expected):
    assert [(f.text, f.attribution) for f in extract_document(text).figures] == expected


def test_a_government_introducing_a_quote_is_its_country():
    # no verb of saying, no person or organisation: a government named before the colon speaks
    text = "Samoa closed its schools. An official government account made the following announcement: " \
           "\"We vaccinated 58,150 people.\""
    extraction = extract_document(text)
    assert [(q.text, q.speaker) for q in extraction.quotes] == [("We vaccinated 58,150 people", "Samoa")]
    assert [(f.text, f.attribution) for f in extraction.figures] == [("58,150", "Samoa")]
