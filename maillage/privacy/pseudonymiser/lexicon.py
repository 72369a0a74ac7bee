"""Word lists: what is never a person's name, and the words around one.

Written from French usage in case notes, not from the corpus: titles and ranks, the institutions and roles of
the network, months and weekdays, the words that start a line of a form ("Objet", "Tél."), and first names or
surnames that are also ordinary words (a lower-case "rose" or "blanc" is a colour).
"""

from maillage.privacy.pseudonymiser.text import fold


def folded_set(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# A name written in lower case that is also one of these words is the word.
COMMON_WORDS = folded_set(
    """rose claire marine pierre olivier blanc blanche brun roux noël léger cousin baron berger boucher
    boulanger charpentier marchand meunier carré roche moulin renard fontaine rivière petit grand germain
    colin barré bonnet poirier chevalier gay poulain chauvin maréchal breton picard normand gaillard clément
    jade ambre capucine ange prudence constance aimé désiré modeste félicité patience victoire violette
    céleste aurore olive prune perle fleur france"""
)
TITLES = folded_set(
    """m. m mr mr. mme mme. mmes mlle mlle. madame monsieur mademoiselle messieurs dr dr. docteur docteure pr
    pr. professeur professeure maître me me. mᵉ"""
)
RANKS = folded_set(
    """adjudant adjudant-chef adj adj. adc major capitaine cne lieutenant ltn lt commandant cdt colonel
    brigadier brigadier-chef gendarme gnd mdl mdl/c mdc maréchal-des-logis maréchal-des-logis-chef opj apj
    gardien gardienne policier policière sergent caporal"""
)
# Words never a person's name, even capitalised (so never kept inside a person span).
NOT_NAMES = (
    TITLES
    | RANKS
    | folded_set(
        """gendarmerie gendarmes police commissariat brigade bta cob compagnie parquet procureur procureure
    tribunal juge juges jaf jld jap cour greffe barreau avocat avocate avocats maison solidarités mds ccas
    cidff caf cpam ars pmi crip ase siao sao 115 samu smur sdis pompiers urgences hôpital centre
    hospitalier ch chu chd cmp csapa ehpad clinique maternité collège lycée école mairie maire adjoint
    adjointe conseil départemental département préfecture région état république france victimes sos femmes
    planning familial association asso vendée habitat cispd clspd iscg tgd bar op oppi itt rsa apl aah
    objet date tél tel téléphone portable mail courriel e-mail adresse né née nee ddn dn nir iban rib
    madame monsieur mme bonjour bonsoir merci cordialement salut coucou bisous papa maman mamie papi
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi
    mercredi jeudi vendredi samedi dimanche noël pâques toussaint victime victimes auteur auteurs enfant
    enfants mère père fille fils sœur frère grand-mère grand-père tante oncle voisin voisine conjoint
    conjointe compagnon compagne mari épouse ex monsieur-madame lecture mention rédacteur rédactrice
    intervenante intervenant référente référent coordinatrice coordinateur assistante assistant sociale
    social infirmière infirmier psychologue psychiatre médecin sage-femme puéricultrice éducatrice directrice
    directeur principal principale cpe enseignante enseignant écoutante juriste bénévole conseillère
    conseiller gestionnaire animatrice animateur agent interne senior patiente patient pte élève fiche
    note compte rendu rapport procès-verbal pv main courante mc plainte signalement synthèse bilan
    information préoccupante dossier situation procédure audition témoin requérante déclarante plaignant
    plaignante mis cause sur place sms mms whatsapp facebook snapchat instagram messenger rd rn rdv ok
    oui non dame monsieur ps nb cf code pénal civil article loi décret nationale national municipal
    municipale communale intercommunal territoriale départementale juridique scolaire vie équipe
    éducative cellule suivi réseau contrat local accueil logement hébergement urgence permanence
    mesures mesure ordonnance protection bracelet anti-rapprochement téléphone grave danger vitale carte
    sécurité sociale numéro qui déclare sur interpellation question consentement besoins orientation
    orientations contact contacts sécurisé enfants évaluation plan action décision décisions présents
    présentes motif examen conduite traitement bilan radiographie scanner diagnostic antécédents
    échange conversation permanence retranscription captures famille groupe fin pas affaire mairie bureau
    service pôle cabinet unité commune rue avenue boulevard chemin impasse allée place route quai lieu-dit
    hameau résidence lotissement prénom prénoms nom noms"""
    )
)
# A word just before a capitalised name that makes it the name of a place or an institution, not a person:
# "collège Jean Monnet", "rue Jean Jaurès", "salle Marie Curie".
INSTITUTION_BEFORE = folded_set(
    """collège college lycée lycee école ecole groupe scolaire hôpital hopital clinique centre maison
    résidence residence salle gymnase stade espace médiathèque mediathèque bibliothèque ehpad institut
    fondation association rue avenue boulevard place impasse allée chemin route quai cours square pont
    parc jardin cité quartier lotissement square église chapelle crèche creche halte-garderie foyer
    pôle pole hall maternité clinique pharmacie cabinet commune ville village bourg mairie barreau
    tribunal"""
)
# A word just before a name that makes it a person's: kinship and relations, as people write them.
PERSON_BEFORE = folded_set(
    """sœur soeur frère frere mère mere père pere fille fils tante oncle cousin cousine voisin voisine ami
    amie copain copine collègue collegue compagnon compagne conjoint conjointe mari épouse epouse ex
    ex-compagnon ex-conjoint ex-mari belle-sœur beau-frère belle-mère beau-père grand-mère grand-père
    neveu nièce nièce bébé enfant enfants employeur employeuse patron patronne prénommée prénommé
    dénommée dénommé nommée nommé prénom petit-ami petite-amie aîné aînée cadet cadette nom couple petit
    petite petits petites"""
)
# A word that announces, or follows, the name of the person who holds it in a form or a signature:
# "Juriste : Delphine Dupuis", "Rédigé par …", "Claire Bodin, assistante sociale", "Victime : Mme …".
ROLES = RANKS | folded_set(
    """rédacteur rédactrice rédigé rédigée écrit écrite signé signée écoutant écoutante juriste conseiller
    conseillère intervenant intervenante instructeur instructrice sage-femme interne senior référent référente
    infirmier infirmière éducateur éducatrice assistant assistante travailleur travailleuse psychologue
    psychiatre pédopsychiatre directeur directrice animateur animatrice bénévole prescripteur prescriptrice
    agent agente enquêteur enquêtrice médecin docteur avocat avocate gestionnaire coordinateur coordinatrice
    secrétaire principal principale cpe puéricultrice témoin déclarant déclarante établi établie
    adjoint adjointe maire élu élue président présidente chargé chargée responsable cheffe chef enseignant
    enseignante professeur professeure auteur auteure victime demandeur demandeuse personne patient patiente
    pte élève identité requérant requérante porteur protégée ménage représentants appelant appelante
    interlocuteur interlocutrice contact accompagnant accompagnante conseillère nom prénom prénoms naissance
    accueillant accueillante
    usage"""
)
