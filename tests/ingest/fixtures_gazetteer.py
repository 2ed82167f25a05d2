"""A small gazetteer that reads like the real one: a dozen actors and a dozen places.

Names and spellings are facts from the public record; no article text is copied here.
"""

from articles.ingest.gazetteer import Gazetteer, GazetteerActor, GazetteerLocation

ACTORS = [
    GazetteerActor("ahrar-al-sham", "Ahrar al-Sham", "armed_group", ("Ahrar ash-Sham",)),
    GazetteerActor("jaish-al-islam", "Jaish al-Islam", "armed_group", ("Army of Islam",)),
    GazetteerActor("nusra-front", "Nusra Front", "armed_group", ("Jabhat al-Nusra",)),
    GazetteerActor("turkistan-islamic-party", "Turkistan Islamic Party", "armed_group", ("TIP",)),
    GazetteerActor("kataib-ansar-al-sham", "Kataib Ansar al-Sham", "armed_group"),
    GazetteerActor(
        "syrian-government-forces",
        "Syrian government forces",
        "state_force",
        ("Syrian army", "government forces", "Syrian Arab Army"),
    ),
    GazetteerActor(
        "syrian-observatory-for-human-rights",
        "Syrian Observatory for Human Rights",
        "monitor_or_media",
        ("SOHR",),
    ),
    GazetteerActor("united-nations", "United Nations", "international_org", ("UN", "U.N.")),
    GazetteerActor(
        "united-states", "United States", "state", ("US", "U.S.", "United States of America")
    ),
    GazetteerActor("russia", "Russia", "state", ("Russian Federation",)),
    GazetteerActor("turkey", "Turkey", "state", ("Türkiye",)),
    GazetteerActor("islamic-state", "Islamic State", "armed_group", ("IS", "ISIS", "Daesh")),
    GazetteerActor("bashar-al-assad", "Bashar al-Assad", "person", ("Assad",)),
    # A group named after a place: the multi-word actor name must win over the place.
    GazetteerActor("liwa-suqur-al-ghab", "Liwa Suqur al-Ghab", "armed_group"),
]

LOCATIONS = [
    GazetteerLocation("syria", "Syria", "country"),
    GazetteerLocation("turkey", "Turkey", "country", aliases=("Türkiye",)),
    GazetteerLocation("russia", "Russia", "country"),
    GazetteerLocation("switzerland", "Switzerland", "country"),
    GazetteerLocation("geneva", "Geneva", "city", "switzerland", ("Genève", "Genf")),
    GazetteerLocation(
        "latakia-governorate", "Latakia", "governorate", "syria", ("Lattakia", "Al-Ladhiqiyah")
    ),
    GazetteerLocation("latakia-district", "Latakia", "district", "latakia-governorate"),
    GazetteerLocation("latakia", "Latakia", "city", "latakia-district", ("Lattakia",)),
    GazetteerLocation("hama-governorate", "Hama", "governorate", "syria", ("Hamah",)),
    GazetteerLocation("hama", "Hama", "city", "hama-governorate", ("Hamah",)),
    GazetteerLocation("aleppo-governorate", "Aleppo", "governorate", "syria", ("Halab",)),
    GazetteerLocation("aleppo", "Aleppo", "city", "aleppo-governorate", ("Halab",)),
    GazetteerLocation("idlib-governorate", "Idlib", "governorate", "syria", ("Idleb",)),
    GazetteerLocation("idlib", "Idlib", "city", "idlib-governorate", ("Idleb",)),
    GazetteerLocation(
        "al-ghab-plain", "al-Ghab Plain", "landform", "hama-governorate", ("Sahl al-Ghab",)
    ),
    GazetteerLocation("khirbat-al-naqous", "Khirbat al-Naqous", "village", "hama-governorate"),
    GazetteerLocation(
        "jabal-al-akrad", "Jabal al-Akrad", "landform", "latakia-governorate", ("Kurd Mountain",)
    ),
    GazetteerLocation("al-bab", "al-Bab", "town", "aleppo-governorate"),
    GazetteerLocation("bab-al-hawa", "Bab al-Hawa", "village", "idlib-governorate"),
    GazetteerLocation("damascus", "Damascus", "city", "syria", ("Dimashq", "al-Sham")),
    GazetteerLocation("beirut", "Beirut", "city", "lebanon"),
    GazetteerLocation("lebanon", "Lebanon", "country"),
]


def fixture_gazetteer() -> Gazetteer:
    return Gazetteer.build(ACTORS, LOCATIONS)
