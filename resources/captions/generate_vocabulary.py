"""Write ``vocabulary.txt``: short descriptions of photos, written for PhotoSearch.

Run from the repository root::

    python resources/captions/generate_vocabulary.py

The lists below are hand-written for this product (nothing is copied from a dataset); lines are
made by combining them where the combination makes sense (people x activities, places x light
and season, animals x places, styles x subjects, events x details, shapes x colours), plus
hand-written lines. The output is deterministic: the same lists give the same file, and a test
checks that the committed file matches.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

OUT = Path(__file__).with_name("vocabulary.txt")

PEOPLE = [
    "a man", "a woman", "a child", "two children", "a baby", "a teenager", "an old man",
    "an old woman", "a couple", "a family", "a group of friends", "a crowd of people",
    "a girl", "a boy", "two friends", "a father and his son", "a mother and her daughter",
    "grandparents with their grandchildren",
]
ACTIVITIES = [
    "swimming", "hiking", "playing football", "riding a bike", "cooking dinner",
    "eating ice cream", "reading a book", "dancing", "skiing", "surfing", "fishing",
    "camping in a tent", "painting a picture", "playing the guitar", "playing the piano",
    "blowing out birthday candles", "opening presents", "building a sandcastle",
    "taking a selfie", "walking a dog", "flying a kite", "running a race", "doing yoga",
    "climbing a rock wall", "skateboarding", "ice skating", "riding a horse", "rowing a boat",
    "having a picnic", "gardening", "baking cookies", "playing board games", "singing",
    "laughing together", "sleeping on a sofa", "working on a laptop", "sledding down a hill",
    "jumping into a lake", "playing in the snow", "playing basketball", "playing tennis",
    "blowing bubbles", "feeding ducks", "making a snowman", "watching fireworks",
    "carving a pumpkin", "decorating a christmas tree", "posing for a photo",
]
PLACES = {
    "water": [
        "a beach", "a sandy beach", "a rocky coast", "a mountain lake", "a river", "a harbour",
        "a marina", "a waterfall", "a swimming pool", "a pier", "a canal", "a calm sea",
        "a tropical island", "a fjord",
    ],
    "land": [
        "a forest", "a forest trail", "a mountain peak", "a meadow", "a wheat field",
        "a desert", "a sand dune", "a snowy field", "a valley", "a vineyard", "a farm",
        "a garden", "a park", "a campsite", "a ski slope", "a country road", "a hill",
        "a flower field", "a jungle", "a canyon", "a glacier", "an orchard",
    ],
    "urban": [
        "a city street", "a busy market", "a town square", "a train station", "an airport",
        "a bridge", "a rooftop", "a parking lot", "a shopping street", "a subway station",
        "a skyline", "an old town", "a harbour town", "a playground", "a football stadium",
        "a highway", "a car park", "a street cafe", "a bus stop", "a construction site",
    ],
    "indoor": [
        "a kitchen", "a living room", "a bedroom", "a bathroom", "an office", "a classroom",
        "a library", "a museum", "a cafe", "a restaurant", "a concert hall", "a gym",
        "a church", "a hotel room", "a supermarket", "a workshop", "a hospital room",
        "a theatre", "a bar", "a garage",
    ],
    "landmark": [
        "a castle", "a lighthouse", "a cathedral", "a temple", "a ruined abbey",
        "a windmill", "an old stone bridge", "a palace", "a monument", "a fountain",
    ],
}
LIGHT = [
    "at sunset", "at sunrise", "at night", "at dusk", "on a rainy day", "in the fog",
    "under a blue sky", "under a cloudy sky", "in the snow", "at golden hour",
    "in autumn", "in spring", "in summer", "in winter", "after a storm",
]
ANIMALS = [
    "a dog", "two dogs", "a puppy", "a cat", "a kitten", "a horse", "a cow", "a flock of sheep",
    "a bird", "a flock of birds", "a duck", "a swan", "a seagull", "a deer", "a squirrel",
    "a rabbit", "a goat", "a chicken", "a butterfly", "a bee on a flower", "a fox",
    "a herd of cows", "a pony", "a parrot", "a fish", "a turtle", "a lizard", "an owl",
]
ANIMAL_PLACES = [
    "on a beach", "in a garden", "in a park", "on grass", "in the snow", "in a field",
    "on a sofa", "by a lake", "in a forest", "on a farm", "on a wooden fence", "in a meadow",
]
ANIMAL_ACTIONS = [
    "sleeping", "running", "playing with a ball", "looking at the camera", "eating",
    "jumping", "lying in the sun", "sitting",
]
STYLES = [
    "a black and white photo of", "a close-up of", "an aerial view of", "a blurry photo of",
    "a panorama of", "a silhouette of", "a long exposure photo of", "a vintage photo of",
    "a wide-angle view of", "a photo taken from above of", "a painting of", "a sketch of",
    "a night photo of", "a reflection of", "a macro photo of",
]
STYLE_SUBJECTS = [
    "a city skyline", "a mountain range", "a flower", "a dog", "a cat", "a family",
    "a street", "a beach", "a forest", "a bridge", "a car", "a building", "a tree",
    "a face", "the sea", "a bird", "a cup of coffee", "a church", "a bicycle", "a harbour",
]
EVENTS = {
    "a birthday party": ["with balloons", "with a cake and candles", "in the garden",
                         "for a child", "with friends", "at home"],
    "a wedding": ["ceremony in a church", "reception with dancing", "in a garden",
                  "with the bride and groom", "cake", "couple kissing"],
    "a graduation": ["ceremony", "with caps thrown in the air", "with family",
                     "portrait", "party"],
    "a christmas": ["dinner with family", "tree with presents", "market at night",
                    "morning opening presents", "lights in the street"],
    "a new year's eve": ["party", "fireworks over the city", "toast with champagne"],
    "a family": ["reunion", "dinner", "portrait", "holiday", "barbecue in the garden"],
    "a school": ["play on stage", "trip to a museum", "sports day", "class photo",
                 "first day"],
    "a football": ["match in a stadium", "team photo", "game in the park", "trophy"],
    "a concert": ["with a big crowd", "on an outdoor stage", "in a small club",
                  "with colourful lights"],
    "a street": ["parade", "festival", "carnival", "market", "performer"],
    "a halloween": ["costume party", "pumpkin with a candle", "trick or treating"],
    "an easter": ["egg hunt", "breakfast", "basket with eggs"],
    "a baby": ["shower", "first steps", "sleeping in a crib", "bath", "first birthday"],
    "a summer": ["holiday at the beach", "picnic", "festival", "barbecue", "road trip"],
    "a winter": ["holiday in the mountains", "walk in the snow", "cabin with a fireplace"],
}
FOOD = [
    "a pizza", "a birthday cake", "a cup of coffee", "a bowl of soup", "a plate of pasta",
    "a burger and fries", "a fruit salad", "a bowl of ramen", "sushi", "a croissant",
    "a glass of red wine", "a glass of beer", "a cocktail", "a chocolate cake",
    "a basket of bread", "fresh vegetables", "a barbecue grill with sausages",
    "a breakfast table", "pancakes with syrup", "a bowl of strawberries", "an ice cream cone",
    "a cheese board", "a roast chicken", "tacos", "a curry with rice", "a salad",
    "a cup of tea", "a smoothie", "cupcakes", "a sandwich",
]
FOOD_PLACES = ["on a table", "on a plate", "in a restaurant", "at a picnic", "in a kitchen"]
OBJECTS = [
    "a bicycle", "a red car", "a vintage car", "a motorbike", "a sailboat", "a canoe",
    "a train", "an airplane", "a hot air balloon", "a tent", "a backpack", "a suitcase",
    "a laptop", "a smartphone", "a camera", "a pair of shoes", "a hat", "a teddy bear",
    "a toy car", "a kite", "a guitar", "a piano", "a clock", "a lamp", "a vase of flowers",
    "a potted plant", "a bookshelf", "a stack of books", "a candle", "a christmas tree",
    "a snowman", "a sandcastle", "a bench", "a swing", "a street lamp", "a mailbox",
    "a red door", "a window", "a staircase", "a fireplace", "a chair", "a table",
    "a bed", "a sofa", "a rug", "a mirror", "a painting on a wall", "a map",
    "a handwritten note", "a receipt", "a ticket", "a passport", "a whiteboard",
    "a computer screen", "a tractor", "a bus", "a tram", "a boat",
]
OBJECT_PLACES = [
    "on a table", "in a room", "on the floor", "by a window", "in a garden", "on a street",
    "on a beach", "in the snow",
]
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black",
           "brown", "grey"]
SHAPES = ["circle", "square", "triangle", "star", "cross", "diamond", "heart", "ball",
          "box", "balloon"]
PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars",
          "cross": "crosses", "diamond": "diamonds", "heart": "hearts", "ball": "balls",
          "box": "boxes", "balloon": "balloons"}
SURFACES = ["on grass", "on a wooden table", "on sand", "against a night sky",
            "on a white background", "on the floor"]
HAND_WRITTEN = [
    "a screenshot of a phone", "a screenshot of a web page", "a scanned document",
    "a photo of a whiteboard with notes", "a page of handwritten text", "a business card",
    "a bill on a table", "a shopping list", "a menu in a restaurant", "a road sign",
    "a street sign with a name", "a map of a city", "a boarding pass", "a concert ticket",
    "a recipe in a cookbook", "a page of a book", "a chart on a screen", "a QR code",
    "a selfie in a mirror", "a group selfie", "a portrait of a smiling woman",
    "a portrait of a man with a beard", "a baby smiling at the camera", "a sleeping baby",
    "a child with a painted face", "a dog with a stick in its mouth", "a cat in a box",
    "a cat on a windowsill", "a dog in the back seat of a car", "a dog catching a frisbee",
    "a horse in a stable", "cows grazing in a field", "a lamb in spring",
    "a rainbow over the fields", "a lightning strike at night", "the milky way at night",
    "the full moon", "northern lights over a lake", "a sunset over the sea",
    "a sunrise over the mountains", "clouds from an airplane window", "a starry sky",
    "a thunderstorm over the sea", "autumn leaves on the ground", "cherry blossoms",
    "a field of sunflowers", "a field of tulips", "a lavender field", "a single red rose",
    "a bouquet of flowers", "frost on a window", "icicles on a roof", "a frozen lake",
    "footprints in the snow", "waves crashing on rocks", "a surfer on a big wave",
    "boats in a harbour at sunset", "a lighthouse at night", "a road through the mountains",
    "a winding road", "a traffic jam", "city lights at night", "a neon sign",
    "a busy crossing", "graffiti on a wall", "a colourful mural", "a row of houses",
    "an old farmhouse", "a wooden cabin in the woods", "a modern building", "a skyscraper",
    "an empty street at night", "a rainy street with umbrellas", "a market stall with fruit",
    "a fish market", "a flower market", "a bakery window", "a bookshop", "a toy shop",
    "a christmas market", "a carousel at a fair", "a ferris wheel", "a roller coaster",
    "a zoo", "an aquarium", "an elephant", "a giraffe", "a lion", "a zebra", "a penguin",
    "a monkey in a tree", "a bear in a river", "a dolphin jumping", "a whale tail",
    "a jellyfish", "a coral reef", "an underwater photo of fish", "a snorkeler",
    "a scuba diver", "kids playing in a fountain", "kids on a trampoline",
    "a child on a swing", "a child on a slide", "a child drawing with chalk",
    "a child asleep in a car seat", "a family on a sofa", "people around a campfire",
    "marshmallows over a campfire", "a tent under the stars", "a hammock between trees",
    "a picnic basket on a blanket", "a dinner table set for guests", "a toast with glasses",
    "a wedding ring", "a bride with a bouquet", "a first dance", "a cake cutting",
    "graduation caps in the air", "a diploma", "a trophy", "a medal", "a finish line",
    "a marathon runner", "a cyclist on a mountain road", "a skier jumping",
    "a snowboarder", "a climber on a cliff", "a kayak on a lake", "a paddle board",
    "a fishing boat", "a yacht", "a cruise ship", "a steam train", "a vintage bus",
    "a classic car at a show", "a motorcycle on a country road", "an old bicycle",
    "a tractor in a field", "hay bales in a field", "a vegetable garden",
    "tomatoes on the vine", "apples on a tree", "a pumpkin patch", "a bowl of cherries",
    "a home office desk", "a messy desk", "a cozy reading corner", "a rainy window",
    "a cup of coffee and a book", "a cat on a keyboard", "a dog on a bed",
    "a new car", "a moving van", "boxes for a move", "an empty room", "a renovated kitchen",
    "a garden party", "a backyard barbecue", "a pool party", "a costume party",
    "a museum painting", "a statue in a park", "a stained glass window", "an old library",
    "a concert stage with lights", "a band playing", "a dj at a party", "a theatre stage",
    "a sports stadium at night", "a tennis court", "a golf course", "a basketball hoop",
    "a swimming competition", "a sailing race", "a horse race", "a dog show",
    "a hospital bed", "a newborn baby", "a pregnant woman", "an ultrasound picture",
    "a birthday card", "a gift wrapped in paper", "a christmas present", "easter eggs",
    "a jack-o-lantern", "fireworks over a river", "sparklers at night", "lanterns in the sky",
    "a bonfire", "a candlelit dinner", "a sunset from a plane", "an airport gate",
    "a hotel pool", "a beach umbrella", "footprints in the sand", "a shell on the beach",
    "a sandcastle with a flag", "a crab on the sand", "a seal on a rock",
    "puffins on a cliff", "a mountain hut", "a mountain lake with reflections",
    "a snow-covered village", "a frozen waterfall", "a desert at sunset", "a camel",
    "a palm tree", "a tropical beach with palm trees", "rice terraces", "a tea plantation",
    "a temple with lanterns", "a street food stall", "a noodle shop", "a night market",
]
EXTRA_PERSON_PLACES = ["on a beach", "in a park", "in the snow", "in a kitchen",
                       "in a city street", "in the mountains", "at a party", "at home"]


def article(phrase: str) -> str:
    """'a' or 'an' before ``phrase``."""
    return "an" if phrase[0] in "aeiou" else "a"


def lines() -> list[str]:
    """Every vocabulary line, in a fixed order, without duplicates."""
    out: list[str] = []
    # people doing things
    active = [p for p in PEOPLE if p != "a baby"]
    out += [f"{p} {a}" for p, a in itertools.product(active, ACTIVITIES)]
    out += [f"{p} {where}" for p, where in itertools.product(PEOPLE, EXTRA_PERSON_PLACES)]
    # places in light, weather and season
    for places in PLACES.values():
        out += places
        out += [f"{p} {light}" for p, light in itertools.product(places, LIGHT)]
    out += [f"people at {p}" for p in PLACES["water"] + PLACES["urban"] + PLACES["landmark"]]
    # animals
    out += ANIMALS
    out += [f"{a} {where}" for a, where in itertools.product(ANIMALS, ANIMAL_PLACES)]
    out += [f"{a} {act}" for a, act in itertools.product(ANIMALS[:12], ANIMAL_ACTIONS)]
    # styles
    out += [f"{s} {subject}" for s, subject in itertools.product(STYLES, STYLE_SUBJECTS)]
    # events
    for event, details in EVENTS.items():
        out += [f"{event} {d}" for d in details]
    # food and things
    out += FOOD
    out += [f"{f} {where}" for f, where in itertools.product(FOOD, FOOD_PLACES)]
    out += OBJECTS
    out += [f"{o} {where}" for o, where in itertools.product(OBJECTS[:30], OBJECT_PLACES)]
    # shapes and colours (toys, signs, decorations, graphics)
    for colour, shape in itertools.product(COLOURS, SHAPES):
        out.append(f"{article(colour)} {colour} {shape}")
        out += [f"two {colour} {PLURAL[shape]}", f"three {colour} {PLURAL[shape]}"]
        out += [f"{article(colour)} {colour} {shape} {s}" for s in SURFACES[:4]]
    out += HAND_WRITTEN
    seen: set[str] = set()
    unique = []
    for line in out:
        line = " ".join(line.split())
        if line not in seen:
            seen.add(line)
            unique.append(line)
    return unique


def render() -> str:
    """The file's text."""
    header = ("# PhotoSearch caption vocabulary: short descriptions of scenes, objects, "
              "activities,\n# events, places and styles, written for this product.\n"
              "# Generated by generate_vocabulary.py; one caption per line.\n")
    return header + "".join(f"{line}\n" for line in lines())


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {len(lines())} captions to {OUT}", file=sys.stderr)
