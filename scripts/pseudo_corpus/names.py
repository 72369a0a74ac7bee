"""Word lists of the synthetic corpus: fictional people's names, streets, places.

Names mix what a Vendée caseload holds: common French names, local ones, compound first names, names with a
particle, Breton names, hyphenated double names, and names of other origins. First names that are also
ordinary words (Claire, Rose, Marine, Pierre, Olivier) are kept on purpose.
"""

WOMEN = """Aurélie Sandrine Céline Émilie Stéphanie Nathalie Marie-Claire Anne-Sophie Marie-Pierre Laëtitia
Maëlle Élodie Hélène Chloé Inès Yasmina Fatima Samira Nadia Leïla Aïcha Awa Fatoumata Mélanie
Virginie Delphine Jessica Cindy Océane Manon Camille Justine Pauline Lucie Margaux Clémence Séverine
Karine Valérie Isabelle Sylvie Christelle Audrey Amandine Coralie Gwenaëlle Solène Morgane Anaïs
Noémie Sarah Léa Marine Élise Agnès Bérénice Josiane Françoise Ginette Monique Ophélie Priscilla
Tiphaine Armelle Annick Laure Claire Rose Ambre Anne-Laure Marie-Hélène Soizic Nolwenn Katell
Ludivine Émeline Perrine Gaëlle Mégane Kelly Alexandra Sabrina Malika Zohra Khadija Mariama Oumou
Ana Joana Daniela Magdalena Ewa Svetlana Oksana Thi Linh Elif Büşra Jennifer Priscille Véronique
Brigitte Chantal Martine Dominique Maryse Odile Huguette Bernadette Églantine Apolline Capucine
Héloïse Maud Faustine Roxane Tatiana Vanessa Sonia Myriam""".split()

MEN = """Kévin Anthony Jérôme Sébastien Jean-Baptiste Jean-Marc Pierre-Yves Loïc Yannick Mickaël Grégory
Cédric Frédéric Stéphane Ludovic Romain Mathieu Nicolas Julien Thomas Maxime Dylan Jordan Mohamed
Karim Rachid Youssef Mamadou Ibrahim Sofiane Bilal Dimitri Alexandre Guillaume Benoît François Hervé
Thierry Pascal Patrick Didier Gaëtan Erwan Killian Enzo Théo Hugo Florian Bastien Jonathan Steven
Cyril Joël Pierre Olivier Vincent Jean-Luc Jean-François Marc-Antoine Paul-Henri Tanguy Gwendal
Ronan Brice Fabrice Arnaud Lionel Franck Bruno Gilles Mehdi Nabil Samir Moussa Ousmane Aboubacar
João Tiago Rui Paulo Piotr Andrzej Mihai Ionut Mustafa Emre Duc Quentin Aurélien Valentin Baptiste
Corentin Kylian Wilfried Régis Christophe Laurent Emmanuel""".split()

CHILDREN = """Lina Noah Léo Jade Louise Emma Gabriel Raphaël Chloé Inaya Nolan Timéo Maël Lou Zoé Mia
Sacha Nathan Lyna Adam Aya Ethan Rose Jules Manon Lucas Elsa Tom Capucine Anna Éden Kaïs Ilyès Maëlys Noé Liam
Alba Milo Célia Soan Lenny Tiago Inès Nour Assia Yanis Ayden Margot Romy Lison Axel Eliott Mathis
Clara Léna Ambre Louna Kenzo Naïm Sirine Mayssa Owen Gaspard Apolline Théa Lilou""".split()

SIMPLE = """Martin Bernard Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux David Bertrand Morel
Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc
Guérin Boyer Garnier Chevalier Legrand Gauthier Garcia Perrin Robin Clément Morin Henry Roussel
Mathieu Gautier Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard
Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Leroux
Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Bourgeois Benoît
Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Dupuy Guillot Hubert Berger Carpentier
Sanchez Dupuis Moulin Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Poirier Marty
Aubry Guyot Carré Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Fernandez
Collet Léger Bouvier Prévost Millet Perrot Cousin Germain Breton Besson Langlois Rémy Pelletier
Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Monnier Michaud Rodriguez
Guichard Gillet Étienne Poulain Tessier Chauvin Bouchet Lemaître Bénard Maréchal Humbert Reynaud
Perret Barthélemy Cordier Pichon Lejeune Lamy Delaunay Pasquier Carlier Laporte Guilbaud Rabiller
Gaborit Chauvet Boisseau Bretaud Coutand Jaunet Loizeau Rochereau Brochard Charrier Poupin Soulard
Grolleau Mandin Baudry Chataigner Barreteau Bonnin Giraudeau Herbreteau Bossard Auvinet Moinard
Pineau Gouraud Thibaud Benali Haddad Nguyen Traoré Diallo Kowalski Ferreira Yilmaz Bouzid Mansouri
Cissé Tran Pereira Kaya Popescu Nowak Rakotomalala Keita Mendes Ouédraogo Belkacem Chérif Hamidi
Amrani Ivanova Sousa""".split()

COMPOUND = [
    "Le Goff",
    "Le Gall",
    "Le Roux",
    "Le Bihan",
    "Le Floch",
    "Da Silva",
    "Dos Santos",
    "Ben Ahmed",
    "El Amrani",
    "Van den Berg",
    "de La Brosse",
    "de Kerjean",
    "du Chêne",
    "de Larmonie",
    "d'Herbais",
    "Le Moal",
    "De Oliveira",
    "Ait Ali",
    "de Saint-Aubin",
    "La Rocca",
]

STREETS = [
    "rue des Lilas",
    "rue Georges Clemenceau",
    "avenue de la Gare",
    "impasse du Moulin",
    "chemin de la Croix Blanche",
    "allée des Tilleuls",
    "rue du Général de Gaulle",
    "rue Nationale",
    "boulevard du Maréchal Leclerc",
    "rue Jean Jaurès",
    "route de Cholet",
    "rue du Vieux Château",
    "impasse des Mésanges",
    "chemin des Écoliers",
    "rue Saint-Michel",
    "avenue de Verdun",
    "rue de la Paix",
    "rue des Acacias",
    "allée des Peupliers",
    "rue de l'Océan",
    "chemin du Bois Joli",
    "rue de la Garenne",
    "rue du Stade",
    "impasse de la Fontaine",
    "rue des Vignes",
    "place de la Liberté",
    "rue Pasteur",
    "rue du Calvaire",
    "rue de la Forêt",
    "allée du Grand Pré",
    "rue des Châtaigniers",
    "rue de Mortagne",
    "avenue Joffre",
    "rue des Sables",
    "chemin de la Métairie",
    "rue du Docteur Roux",
    "rue d'Anjou",
    "rue de Bretagne",
    "rue des Écureuils",
    "impasse Sainte-Anne",
]
HAMLETS = [
    "La Grande Métairie",
    "Le Petit Bois",
    "La Rousselière",
    "La Coudraie",
    "Les Landes Genusson",
    "La Brétinière",
    "Le Pâtis",
    "La Gaubretière",
    "Les Trois Chênes",
    "La Bonnelière",
]
RESIDENCES = [
    "Les Tilleuls",
    "Le Clos Fleuri",
    "Les Jardins de l'Océan",
    "Bellevue",
    "Le Parc",
    "Les Noisetiers",
]

# (commune, postal code): the territory's communes, then the places around it.
TERRITORY = [
    ("Les Herbiers", "85500"),
    ("Mouchamps", "85640"),
    ("Les Épesses", "85590"),
    ("Beaurepaire", "85500"),
    ("Vendrennes", "85250"),
    ("Mesnard-la-Barotière", "85500"),
    ("Saint-Paul-en-Pareds", "85500"),
    ("Saint-Mars-la-Réorthe", "85590"),
]
AROUND = [
    ("Cholet", "49300"),
    ("La Roche-sur-Yon", "85000"),
    ("Montaigu-Vendée", "85600"),
    ("Pouzauges", "85700"),
    ("Chantonnay", "85110"),
    ("Nantes", "44000"),
    ("Angers", "49000"),
    ("Mortagne-sur-Sèvre", "85290"),
    ("Chambretaud", "85500"),
    ("Sèvremont", "85700"),
    ("Niort", "79000"),
    ("Poitiers", "86000"),
]
MAIL_DOMAINS = [
    "gmail.com",
    "hotmail.fr",
    "orange.fr",
    "yahoo.fr",
    "outlook.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "icloud.com",
    "wanadoo.fr",
    "live.fr",
    "protonmail.com",
]
WORK_DOMAINS = [
    "ccas-herbiers.example",
    "vendee.example",
    "cidff85.example",
    "mairie-mouchamps.example",
    "ch-cholet.example",
    "gendarmerie.interieur.gouv.fr",
]
CARS = [
    "Clio",
    "208",
    "Golf",
    "C3",
    "Megane",
    "Kangoo",
    "Berlingo",
    "Twingo",
    "Polo",
    "Sandero",
    "Partner",
    "Scenic",
    "307",
    "Duster",
    "Corsa",
    "Transit",
]
BRANDS = {
    "Clio": "Renault",
    "208": "Peugeot",
    "Golf": "Volkswagen",
    "C3": "Citroën",
    "Megane": "Renault",
    "Kangoo": "Renault",
    "Berlingo": "Citroën",
    "Twingo": "Renault",
    "Polo": "Volkswagen",
    "Sandero": "Dacia",
    "Partner": "Peugeot",
    "Scenic": "Renault",
    "307": "Peugeot",
    "Duster": "Dacia",
    "Corsa": "Opel",
    "Transit": "Ford",
}
