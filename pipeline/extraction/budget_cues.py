"""What the words around an amount say of it: its kind, its funder, breakdowns, shares, users."""

from __future__ import annotations

import re

from pipeline.extraction.budget_words import SP as _SP
from pipeline.extraction.numbers import parse_whole

# Groups that pay as businesses or bodies, not as users: "participation des commerçants".
_BUSINESSES = (r"(?:commer[çc]ants|entreprises|artisans|partenaires|communes|associations"
               r"|m[ée]c[èe]nes|sponsors|financeurs|bailleurs)\b")
# Words that say what an amount is. They are matched case-insensitively on the field text;
# accents are optional where people drop them ("depenses").
_WORD = r"(?<![\w])(?:{})(?![\w])"
IN_KIND_RE = re.compile(_WORD.format(
    r"contributions?\s+volontaires?|en\s+nature|valoris\w*|b[ée]n[ée]volat"
    r"|(?:temps|heures?)\s+(?:de\s+)?b[ée]n[ée]vole?s?"
    r"|mis[es]*\s+[àa]\s+dispo(?:sition)?|mise?s?\s+[àa]\s+dispo(?:sition)?"
    r"|met(?:tent)?\s+[àa]\s+dispo(?:sition)?"
    r"|pr[êe]ts?\s+d[e'’]|pr[êe]t[ée]e?s?\s+par"), re.IGNORECASE)
TOTAL_RE = re.compile(_WORD.format(
    r"(?<!sous[- ])total(?:e|es|ité)?|bud[gj]ets?|co[ûu]ts?\s+(?:total|global|de\s+l['’]action"
    r"|du\s+projet|annuel)|montant\s+(?:total|global)|s['’][ée]l[èe]ve(?:nt)?\s+[àa]"
    r"|co[ûu]t(?:e|ent|ait|aient|era|eront)|a\s+co[ûu]t[ée]"
    r"|enveloppe\s+(?:globale|totale)"), re.IGNORECASE)
EXPENSE_RE = re.compile(_WORD.format(
    r"d[ée]penses?|charges?|personnels?|salaires?|salariale?s?|r[ée]mun[ée]rations?|achats?"
    r"|mat[ée]riels?|fournitures?|prestations?|locations?|loyers?|frais|transports?|alimentation"
    r"|repas|go[ûu]ters?|[ée]ditions?|impressions?|communication|divers|intervenants?"
    r"|honoraires|assurances?|d[ée]placements?|sorties?|[ée]quipements?|investissements?"
    r"|travaux|fonctionnement|formations?|sous[- ]totale?|co[ûu]ts?|animateurs?|postes?"),
    re.IGNORECASE)
# A wage told as what it costs, after its amount: "29 500 € charges comprises", "brut chargé".
WAGE_COST_AFTER_RE = re.compile(
    rf"{_SP}*(?:HT|TTC)?{_SP}*,?{_SP}*\(?(?:charges?{_SP}+(?:sociales{_SP}+|patronales{_SP}+)?"
    rf"(?:comprises|incluses)|brut(?:e|s)?{_SP}+charg[ée]e?s?|charg[ée]e?s?|co[ûu]t{_SP}+employeur)"
    rf"(?![\w])", re.IGNORECASE)
FUNDING_RE = re.compile(_WORD.format(
    r"financements?|financ[ée]e?s?|financeurs?|recettes?|ressources?|produits?|subventions?"
    r"|subventionn[ée]e?s?|participations?|aides?|soutiens?|cofinancements?|co-financements?"
    r"|apports?|contributions?|dotations?|fonds\s+propres|autofinancement"), re.IGNORECASE)
# A line headed by a word of funding: "Financement : Délégation départementale ... 1 000 €".
FUNDING_HEAD_RE = re.compile(r"(?:financements?|recettes|ressources|subventions?|financ[ée]e?s?"
                             r"[ \t\u00a0]+par)[ \t\u00a0]*:?", re.IGNORECASE)
# The structure's own money: a funding line, never a funder. Matched before the expense words, so
# that "reste à charge" is not read as a "charge".
OWN_FUNDS_RE = re.compile(_WORD.format(
    r"fonds\s+propres|auto-?financements?|reste\s+[àa]\s+charge(?!\s+des?\s+(?:familles|usagers"
    r"|parents|participants|b[ée]n[ée]ficiaires|adh[ée]rents))"
    r"|(?:reste\s+)?[àa]\s+la\s+charge\s+(?:du|de\s+la|de\s+l['’]|de\s+notre)\s*"
    r"(?:centre|structure|association|espace|maison|EVS|CSC)"), re.IGNORECASE)
# Money verbs and nouns that make a sentence outside the budget field a financing sentence.
FINANCING_TRIGGER_RE = re.compile(_WORD.format(
    r"(?:co-?)?financ(?:[ée]e?s?|ement|ements|er|ent|era|eront|ait|aient)"
    r"|financeurs?\s*(?::|sont|principaux)|partenaires?\s+financiers?|subventions?|subventionn\w+|soutien\s+financier"
    r"|aides?\s+financi[èe]res?|participation\s+financi[èe]re|cr[ée]dits|vers[ée]e?s?"
    r"|soutien\s+(?:financier\s+)?(?:de|du|des|d['’])|soutenue?s?\s+(?:financi[èe]rement\s+)?par"
    r"|allou[ée]e?s?|octroy[ée]e?s?|accord[ée]e?s?\s+par|pris\s+en\s+charge\s+par"
    r"|rembours[ée]e?s?(?:\s+[^\W\d_]+){0,3}\s+par|pay[ée]e?s?\s+(?:par|gr[âa]ce)"
    # money received, and a cost told by its verb: "a reçu 4 000 € du Département", "a permis de
    # décrocher 6 000 €", "l'action a coûté 4 000 euros"
    r"|(?:re[çc]u|per[çc]u|obtenu|d[ée]croch[ée]r?)(?!\s+(?:(?:son|sa|ses|le|la|les|l['’]|une?"
    r"|leur)\s*)?(?:agr[ée]ment|label|habilitation|certification|accr[ée]ditation|autorisation"
    r"|reconnaissance|statut|dipl[ôo]me))"  # "a obtenu son agrément Caf": no money
    r"|(?:a|ont)\s+(?:co[ûu]t[ée]|rapport[ée])"
    # verbs of giving and phrases of an amount given: "la commune apporte 3 000 €", "grâce au
    # Département (12 000 €)", "à hauteur de 9 800 €", and a budget stated outside its field
    r"|apport(?:e|ent|ait|aient|[ée]e?s?)|vers(?:e|ent|ait|aient|era|eront)|grâce\s+(?:à|au|aux)"
    r"|[àa]\s+hauteur\s+d[eu]|budget\s*(?::|global|total|annuel|de\s+l['’]action)"
    # a cost stated, and a gift of money (not "le rectorat a donné des manuels")
    r"|co[ûu]ts?\s+(?:total|global|de\s+l['’]action|du\s+projet|annuel)|en\s+tout|au\s+total"
    r"|(?:a|ont|avait|avaient)\s+donn[ée]e?s?(?=[^.;\n]{0,40}?(?:\d|€|euros?\b|argent|sommes?\b"
    r"|ch[èe]ques?\b|subventions?\b|financ))|donn(?:e|ent|era|eront)\s+\d|offerte?s?\s+par"),
    re.IGNORECASE)
# A budget field that points to another one: "voir plus haut", "cf. description", "idem".
POINTER_RE = re.compile(
    r"\W*(?:voir|cf\b|c\.f\.|se\s+(?:reporter|r[ée]f[ée]rer)|idem|d[ée]taill[ée]e?s?\s+"
    r"(?:plus\s+haut|ci-dessus|dans))", re.IGNORECASE)
# A programme or body named as a line of the structure's own budget gives nothing: "pris sur le
# budget animation collective familles", "sur notre budget de fonctionnement CAF".
_ON_OWN_BUDGET = r"sur\s+(?:le|son|notre|leur|les|ses|nos)\s+(?:propres?\s+)?budgets?(?![\w])"
OWN_BUDGET_RE = re.compile(rf"(?<![\w]){_ON_OWN_BUDGET}[^\d\n,;.()]{{0,40}}$", re.IGNORECASE)
# The same told after an amount: "1 800 € sur le budget animation du centre".
OWN_BUDGET_AFTER_RE = re.compile(rf"[ \t\u00a0]*(?:pris\s+)?{_ON_OWN_BUDGET}", re.IGNORECASE)
# Own money told after an amount: "1 800 € sur nos fonds propres": the line is own funding.
OWN_FUNDS_AFTER_RE = re.compile(
    r"[ \t\u00a0]*[(,]?[ \t\u00a0]*(?:pris\s+|financ[ée]e?s?\s+)?sur\s+"
    r"(?:nos|ses|leurs|les|notre|son|leur)\s+(?:propres\s+)?fonds(?:\s+propres)?(?![\w])",
    re.IGNORECASE)
# The funder named as paying the rest: "le solde est pris en charge par la commune", "le reste
# par la Ville", "le complément, apporté par le Département".
# "le reste est pris sur la prestation de service CAF", "le solde à la charge de la Ville".
REST_BEFORE_RE = re.compile(
    r"(?<![\w])(?:le|du)\s+(?:reste|solde|compl[ée]ment)(?:\s*,)?(?:\s+(?:est|a\s+[ée]t[ée]"
    r"|sera|soit|revient|reviendra))?(?:\s+(?:pris\s+en\s+charge|financ[ée]|vers[ée]|couvert"
    r"|apport[ée]|assur[ée]|pay[ée]|pris|pr[ée]lev[ée]|imput[ée]|[àa]\s+la\s+charge))?"
    r"\s+(?:par|de|sur|[àa])\s*(?:la\s+|le\s+|les\s+|l['’]\s*)?"
    r"(?:(?:prestation\s+de\s+service|subvention|dotation|aide)\s+(?:\w+\s+){0,2}?)?$",
    re.IGNORECASE)
# The same told after the funder: "la Fondation X a couvert le solde", "la Ville complète".
REST_AFTER_RE = re.compile(
    r"[^\d\n;.]{0,40}?(?<![\w])(?:a|ont|va|vont|prend|prennent)?\s*(?:couvert|couvre|couvrent"
    r"|pris\s+en\s+charge|financ[ée]|finance|financent|pay[ée]|paie|assur[ée]|assure"
    r"|apport[ée]|apporte|compl[ée]t[ée]|compl[èe]te|compl[èe]tent|pour)\s+(?:le\s+)?"
    r"(?:reste|solde|compl[ée]ment)(?![\w])", re.IGNORECASE)
# An organisation in a sentence like these is not giving money to the action.
NEGATION_RE = re.compile(_WORD.format(
    r"n['’]\w+\s+pas|ne\s+\w+\s+pas|n['’]\w+\s+plus|ne\s+\w+\s+plus|aucune?|refus\w*"
    # "sans montant fléché", "sans que la somme soit précisée": the amount is unsaid, not the aid
    r"|sans(?!\s+(?:que\s+)?(?:\w+\s+)?(?:montants?|sommes?|chiffr\w*|pr[ée]cis\w*|d[ée]tail\w*))"
    r"|pas\s+de\s+financement|non\s+financ\w+|plus\s+de\s+financement|ni"
    # a request turned down: "dossier déposé auprès de la Région : non retenu"
    r"|non\s+(?:retenu|obtenu|accord[ée]|renouvel[ée])e?s?|rejet[ée]e?s?"), re.IGNORECASE)
SOURCE_RE = re.compile(_WORD.format(
    r"donn[ée]es|statistiques?|sources?|d['’]apr[èe]s|chiffres|recueils?\s+(?:de|des)\s+donn\w+"
    r"|enqu[êe]tes?"
    # "selon l'INSEE" names a source; "selon le barème" a rule of payment.
    r"|selon\s+(?:l['’]|les?\s+|la\s+)?(?:insee|donn\w+|chiffres|statisti\w+|enqu\w+|[ée]tudes?"
    r"|sources?|diagnostic\w*|observatoire)"),
    re.IGNORECASE)
PARTNER_RE = re.compile(_WORD.format(
    r"partenaires?|partenariats?|en\s+lien\s+avec|accompagn\w+|rencontres?|coordinat\w+"
    r"|r[ée]unions?|convention\s+de\s+partenariat"), re.IGNORECASE)
# What links an amount to the funder written after it: "2 000 € de la CAF", "500 € versés par",
# "4 000 €, financés par le Département", "3 000 € par an, pris en charge par la Ville".
POSTPOSED_RE = re.compile(
    rf"(?:{_SP}*(?:par{_SP}+an|/{_SP}*an|annuels?|HT|TTC)(?![\w]))?"
    rf"(?:{_SP}*\)(?={_SP}*(?:a|ont|est|sont|pris|pr[ée]lev){_SP}))?"  # "(900 €) a été payé"
    rf"{_SP}*(?:,{_SP}*(?=(?:a|ont|est|sont){_SP}|financ|vers|accord|allou|attribu|apport|pris"
    rf"|offert|donn"
    rf"|couv|pay))?(?:(?:a|ont|est|sont){_SP}+(?:[ée]t[ée]{_SP}+)?)?"
    rf"(?:(?:(?:vers|accord|allou|attribu|apport|financ|pay|offert|donn)[ée]?e?s?|couverte?s?"
    rf"|pris{_SP}+en{_SP}+charge|(?:pro)?vien(?:nen)?t|(?:pro)?viendront|(?:pro)?venant)"
    rf"{_SP}+)?(?:de{_SP}+la{_SP}+part{_SP}+)?"
    rf"(?:de{_SP}+la|de{_SP}+l['’]|du|des|de|d['’]|par{_SP}+(?:la|le|les|l['’])"
    rf"|par(?={_SP}+[A-ZÉÈ])|\("
    rf"|(?:pris|pr[ée]lev[ée]e?s?){_SP}+sur{_SP}+(?:la|le|les|l['’])"  # "pris sur la prestation"
    # "payé grâce à une subvention de la Fondation X", "grâce au Département"
    rf"|gr[âa]ce{_SP}+(?:aux|au|[àa])(?![\w])(?:{_SP}+(?:la|l['’]|une?))?"
    rf"(?:{_SP}*(?:subvention|aide|soutien|participation)s?{_SP}+"
    rf"(?:de{_SP}+la|de{_SP}+l['’]|du|des|de|d['’]))?)"
    rf"{_SP}*")
# A verb of giving in the link between an amount and who gives it ("offerts par", "versés par").
GIVING_LINK_RE = re.compile(
    r"vers|accord|allou|attribu|apport|financ|pay|offert|donn|pris|vien|venant|gr[âa]ce"
    r"|par(?:\s+(?:la|le|les|l['’]))?\s*$",
    re.IGNORECASE)
# A price per person, session, hour...: not a line of the total ("2 € par enfant", "5 €/séance").
# Periods (par an, par mois) are not units: "3 000 € par an" is a budget.
PER_UNIT_RE = re.compile(
    rf"{_SP}*(?:HT|TTC)?{_SP}*(?:(?:par{_SP}+an|/{_SP}*an|par{_SP}+mois|annuels?),?{_SP}+"
    rf"(?:et{_SP}+)?)?(?:/{_SP}*|par{_SP}+|(?:la|le|les|du){_SP}+|l['’]|de{_SP}+l['’])"
    r"(?:personnes?|pers\b|enfants?|participants?|familles?|foyers?|jeunes?|adultes?|seniors?"
    r"|parents?|habitants?|adh[ée]rents?|inscrits?|b[ée]n[ée]ficiaires?|[ée]l[èe]ves?"
    r"|stagiaires?|usagers?|s[ée]ances?|cours|ateliers?|sorties?|activit[ée]s?|stages?"
    r"|km|kilom[èe]tres?|trajets?|billets?|parcours|visites?|passages?|consultations?"
    r"|heures?|h\b|jours?|journ[ée]es?|le[çc]ons?|modules?|permanences?|repr[ée]sentations?"
    r"|nuit[ée]?e?s?|repas|places?|entr[ée]es?|tickets?|t[êe]tes?|unit[ée]s?)(?![\w])",
    re.IGNORECASE)
# What between two amounts makes the second restate the first: "1 500 € HT soit 1 800 € TTC",
# "45 x 12 € = 540 €". Only the restatement counts.
RESTATED_RE = re.compile(
    rf"(?:=|(?<![\w])soit(?:{_SP}+(?:un{_SP}+total{_SP}+de|au{_SP}+total|environ))?){_SP}*$",
    re.IGNORECASE)
# The same, when the whole gap is a tax mark: "1 000 € HT (1 200 € TTC)", "1 000 € HT / 1 200 €".
TAX_RESTATED_RE = re.compile(rf"{_SP}*HT{_SP}*[(/]{_SP}*$")
# Money asked for but not (yet) given: not mobilised, so neither a funder nor in the total.
UNCONFIRMED_RE = re.compile(_WORD.format(
    r"(?<!la\s)(?<!participation\s)(?<!cotisation\s)(?<!contribution\s)demand[ée]e?s?|sollicit[ée]e?s?|en\s+attente|demandes?\s+en\s+cours|en\s+cours\s+d['’]instruction"
    r"|non\s+obtenue?s?|non\s+accord[ée]e?s?|non\s+retenue?s?|non\s+confirm[ée]e?s?"
    r"|refus[ée]e?s?|[àa]\s+confirmer|sous\s+r[ée]serve"), re.IGNORECASE)
# A funder's share of the total, written after it ("Ville 50 %", "la CAF finance 50 %",
# "CAF : à hauteur de 30 %") or before it ("60 % par la Ville", "50 % de la CAF").
_PCT = r"(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)[ \t\u00a0]?%"
SHARE_AFTER_RE = re.compile(
    # the organisation's proper name may come first: "le bailleur Habitat du Val à 100 %"
    rf"(?-i:(?:(?:{_SP}+(?:du|de|des|la|le|les|d['’]))?{_SP}*[A-ZÉÈ][\w'’\-]{{1,30}}){{0,4}})"
    rf"[ \t\u00a0:(]*(?:(?:finance|participe|contribue|prend{_SP}+en{_SP}+charge|apporte|couvre)"
    rf"\w*{_SP}+)?(?:(?:[àa]{_SP}+hauteur{_SP}+d[eu]|pour|[àa]){_SP}+)?{_PCT}", re.IGNORECASE)
SHARE_BEFORE_RE = re.compile(
    rf"{_PCT}{_SP}*(?:(?:financ\w*{_SP}+)?(?:par|de|du|des){_SP}+"
    rf"(?:(?:la|le|les){_SP}+|l['’])?)?$", re.IGNORECASE)
# A line that names its payers in a word under a "Recettes" header: the users.
USERS_LABEL_RE = re.compile(
    r"^(?:les\s+)?(?:familles|usagers|parents|adh[ée]rents|participants|b[ée]n[ée]ficiaires)$",
    re.IGNORECASE)
USERS_TYPE = "Familles"
# A users' fee by its rate, then what it comes to: "financées par la participation de 3 € par
# repas, soit environ 2 400 € sur l'année".
USERS_RATE_RE = re.compile(
    rf"(?<![\w])(?:participation|cotisation|tarif|adh[ée]sion)s?{_SP}+(?:de{_SP}+|d['’]|à{_SP}+)?"
    rf"\d[\d \t\u00a0,.]*{_SP}*(?:€|euros?)?{_SP}*(?:par|/){_SP}*[^\W\d_]", re.IGNORECASE)
# A parenthesised aside: its kind words qualify the line, they do not set its kind.
PAREN_RE = re.compile(r"\([^()\n]*\)")
# An organisation introduced like this is a partner or a place, not a source of money.
NOT_GIVING_RE = re.compile(
    r"(?<![\w])(?:avec|aupr[èe]s|chez|aux\s+c[ôo]t[ée]s|en\s+lien\s+avec|pour|vers|[àa])"
    r"[ \t\u00a0]+(?:(?:la|le|les|l['’]|des|du|de\s+la|de\s+l['’])[ \t\u00a0]*)?$",
    re.IGNORECASE)
# In-kind words right after an amount: "1 200 € de mise à disposition", "800 € (valorisation)".
# With no link word, a capital starts the next cell of a table, not a word about this amount
# ("600 € Mise à disposition de salle 300 €"): see in_kind_after.
IN_KIND_AFTER_RE = re.compile(
    r"[ \t\u00a0]*(?:/[ \t\u00a0]*an[ \t\u00a0]*)?"
    r"(?P<link>[(,]?[ \t\u00a0]*(?:de[ \t\u00a0]+|d['’])?)"
    r"(?P<word>valoris\w*|mise?s?[ \t\u00a0]+[àa][ \t\u00a0]+disposition|en[ \t\u00a0]+nature"
    r"|contributions?[ \t\u00a0]+volontaires?|b[ée]n[ée]volat)", re.IGNORECASE)
# Money handed on to someone else ("recettes reversées à l'association X"): neither spent on
# the action nor given to it.
PASSED_ON_RE = re.compile(_WORD.format(
    rf"revers[ée]e?s?(?:{_SP}+(?:int[ée]gralement|enti[èe]rement|en{_SP}+totalit[ée]))?"
    rf"{_SP}+(?:[àa]|au|aux)"), re.IGNORECASE)
# Clause boundaries: line breaks, sentence ends, semicolons. The last dot of a dotted leader
# ("Total .......... 13 200 €") ends nothing.
CLAUSE_END_RE = re.compile(r"\n|[;!?]|(?<!\.)\.(?=\s|$)")
# A breakdown opens after an amount: what follows is part of it, never added to it ("6 000 €
# dont 2 000 € de la CAF", "y compris", "répartis entre", "ventilés comme suit").
BREAKDOWN_RE = re.compile(
    rf"(?<![\w])(?:dont|y{_SP}+compris|r[ée]partie?s?{_SP}+(?:entre|comme|ainsi|en)"
    rf"|ventil[ée]e?s?|d[ée]compos[ée]e?s?|incluant|comprenant)(?![\w])", re.IGNORECASE)
_ACTION_NOUNS = r"(?:action|projet|atelier|activit[ée]|dispositif|initiative|op[ée]ration)"
# The share of a wider envelope that goes to this action: "dont 15 000 € pour cette action".
ACTION_SHARE_RE = re.compile(
    rf"{_SP}*(?:\(?{_SP}*)?(?:(?:sont|est|ont{_SP}+[ée]t[ée]|a{_SP}+[ée]t[ée]){_SP}+)?"
    rf"(?:pour|consacr[ée]e?s?{_SP}+[àa]|affect[ée]e?s?{_SP}+[àa]|d[ée]di[ée]e?s?{_SP}+[àa]"
    rf"|destin[ée]e?s?{_SP}+[àa]|r[ée]serv[ée]e?s?{_SP}+[àa]){_SP}+"
    rf"(?:cette|notre|l['’]|ce|le|la){_SP}*(?:pr[ée]sente?{_SP}+)?"
    rf"{_ACTION_NOUNS}(?![\w])", re.IGNORECASE)
# The same share named before its amount: "la part de l'atelier est estimée à 3 800 €".
ACTION_SHARE_BEFORE_RE = re.compile(
    rf"(?<![\w])(?:quote{_SP}*-?{_SP}*)?parts?{_SP}+(?:de|du|d['’]){_SP}*(?:cette|notre|l['’]|ce|le|la)?"
    rf"{_SP}*(?:pr[ée]sente?{_SP}+)?{_ACTION_NOUNS}(?![\w])[^\d\n;:]{{0,60}}$", re.IGNORECASE)
# A total of a scope wider than the action: "le budget global du secteur jeunesse", "budget de
# la structure".
WIDER_SCOPE_RE = re.compile(
    rf"(?<![\w])(?:du|de{_SP}+la|de{_SP}+l['’]|de{_SP}+notre|des){_SP}*(?:secteurs?|centre|structure"
    rf"|association|p[ôo]le|services?|maison|espace|[ée]quipement)(?![\w])", re.IGNORECASE)
# An amount told as what something costs, its verb right before it: "Le chantier représente",
# "l'atelier coûte", "la sortie est estimée à".
COSTS_BEFORE_RE = re.compile(
    rf"(?<![\w])(?:repr[ée]sente(?:nt|ra)?|co[ûu]te(?:nt|ra)?|(?:est|sont){_SP}+estim[ée]e?s?{_SP}+[àa]"
    rf"|s['’][ée]l[èe]ve(?:nt|ra)?{_SP}+[àa]|revient{_SP}+[àa]|(?:est|sont){_SP}+de)(?:{_SP}|:)*$",
    re.IGNORECASE)
# "1 500 € chacune": the amount is each funder's, as many times as there are funders.
EACH_RE = re.compile(rf"{_SP}*(?:HT|TTC)?{_SP}*,?{_SP}*chacune?s?(?![\w])", re.IGNORECASE)
# "Deux subventions de": how many the amount each is for.
_HOW_MANY_RE = re.compile(
    rf"(?P<n>\d{{1,2}}|deux|trois|quatre|cinq|six){_SP}+[^\W\d_]{{3,30}}{_SP}+(?:de{_SP}+|d['’])?$",
    re.IGNORECASE)
# Funders sharing a total equally: "financé à parts égales par la CAF et le Département".
EQUAL_SHARES_RE = re.compile(
    rf"{_SP}*,?{_SP}*(?<![\w])(?:[àa]{_SP}+parts?{_SP}+[ée]gales?|[àa]{_SP}+[ée]galit[ée]|moiti[ée]{_SP}+"
    rf"chacune?|pour{_SP}+moiti[ée])(?![\w])", re.IGNORECASE)
# Money paid by the users, named by what they pay: tickets, fees, memberships, the families'
# share of the cost.
USERS_WORD_RE = re.compile(
    rf"(?<![\w])(?:entr[ée]es|billetterie|cotisations?|adh[ée]sions?|inscriptions?|tarifs?"
    rf"|participations?{_SP}+(?:financi[èe]res?{_SP}+)?(?:des|aux){_SP}+(?!{_BUSINESSES})[^\W\d_]{{3,30}}"
    rf"|reste{_SP}+[àa]{_SP}+charge{_SP}+des{_SP}+(?:familles|usagers|parents|participants"
    rf"|b[ée]n[ée]ficiaires|adh[ée]rents))(?![\w])", re.IGNORECASE)
# Money paid by a group of people named as such: "participation des stagiaires", "frais
# d'inscription des apprenants", "cotisations des choristes". Matched before the expense words,
# so that these "frais" are read as money coming in.
USERS_PAY_RE = re.compile(_WORD.format(
    rf"(?:participations?|frais{_SP}+d['’]inscriptions?|droits{_SP}+d['’]inscriptions?"
    rf"|cotisations?){_SP}+(?:financi[èe]res?{_SP}+)?(?:des|aux){_SP}+(?!{_BUSINESSES})[^\W\d_]{{3,30}}"),
    re.IGNORECASE)
# An organisation taking on a cost gives money: "la Ville prend en charge", "ont pris en
# charge". Matched before the expense words, whose "charge" it would otherwise be.
TAKES_ON_RE = re.compile(_WORD.format(
    rf"(?:pris(?:es?)?|prend(?:ra|ront|rait|raient)?|prennent|prenait|prenaient){_SP}+en"
    rf"{_SP}+charge"
    # "la CAF a financé l'achat des jeux (1 200 €)", "la Ville finance les repas"
    rf"|(?:a|ont|avait|avaient|aura|auront){_SP}+(?:financ|subventionn|pay|r[ée]gl)[ée]"
    rf"|financ(?:e|ent|era|eront)(?={_SP}+(?:l['’]|les?|la|une?|des|du|leur|son|sa|ses)(?![\w]))"),
    re.IGNORECASE)
# A total stated by a verb alone ("s'élève à"): about a funder's share when a funder is named
# before it ("la participation des familles s'élève à 1 200 €").
TOTAL_VERB_RE = re.compile(rf"s['’][ée]l[èe]ve(?:nt)?{_SP}+[àa]", re.IGNORECASE)
# "ont apporté chacune 7 500 €": the amount is each funder's (written before the amount).
EACH_BEFORE_RE = re.compile(rf"(?<![\w])chacune?s?{_SP}*(?:[:,]|de|d['’])?{_SP}*$", re.IGNORECASE)
# People who use an action and may pay for it: users, members, learners, customers... Nouns of
# people as a public, singular or plural, accents optional.
PAYERS = (
    r"(?:familles?|usager(?:e|s|es)?|adh[ée]rent(?:e|s|es)?|b[ée]n[ée]ficiaires?"
    r"|participant(?:e|s|es)?|parents?|stagiaires?|apprenant(?:e|s|es)?|habitant(?:e|s|es)?"
    r"|jeunes|membres|clients?|clientes?|seniors|s[ée]niors|retrait[ée](?:e|s|es)?"
    r"|jardinier(?:e|s|es)?|r[ée]sident(?:e|s|es)?|locataires|[ée]l[èe]ves|inscrit(?:e|s|es)?"
    r"|vacanciers?|voyageurs?|joueurs?|joueuses?|spectateurs?|spectatrices?|visiteurs?"
    r"|exposants?|convives|utilisateurs?|utilisatrices?|abonn[ée](?:e|s|es)?|lecteurs?"
    r"|lectrices?|choristes?|danseurs?|danseuses?|coureurs?|foyers|m[ée]nages|publics?"
    r"|ados|adolescent(?:e|s|es)?|enfants|personnes|accueilli(?:e|s|es)?)")
PAYERS_RE = re.compile(PAYERS, re.IGNORECASE)  # the users alone: "300 € des familles"
# The users paying, named with what they pay or by a verb of paying: "participation adhérents",
# "Cotisations bénéficiaires", "part familles", "adhésions des usagers", "reste à charge des
# familles", "les clients paient", "les stagiaires versent une participation", "les familles
# participent à hauteur de". A funder cue of the users' type (the gold's `Familles`).
USERS_PAYING_RE = re.compile(_WORD.format(
    rf"(?<!fonds{_SP}de{_SP})(?<!fonds{_SP}d['’])"  # "Fonds de participation des habitants"
    rf"(?:participations?|parts?|cotisations?|adh[ée]sions?|inscriptions?|contributions?|achats?"
    rf"|recettes?|paiements?|versements?|reste{_SP}+[àa]{_SP}+(?:la{_SP}+)?charge|billetterie"
    rf"|ventes?|dons|[ée]pargnes?"
    rf"|entr[ée]es"
    rf"|prix(?:{_SP}+libres?)?)"
    rf"{_SP}+(?:financi[èe]res?{_SP}+)?(?:(?:demand[ée]e?|vers[ée]e?|pay[ée]e?|collect[ée]e?)"
    rf"{_SP}+)?(?:(?:des|aux|du|de{_SP}+la|de|d['’]){_SP}*)?{PAYERS}"
    rf"|(?P<by>(?<![\w])par{_SP}+(?:les|des){_SP}+{PAYERS})"  # see paid_by
    rf"|(?:les{_SP}+|des{_SP}+|nos{_SP}+)?{PAYERS}{_SP}+(?:(?:ont|avaient|auront){_SP}+)?"
    rf"(?:paient|payent|pay[ée]s?|payer|paieront|versent|vers[ée]s?|r[èe]glent|r[ée]gl[ée]s?"
    rf"|cotisent|cotis[ée]s?|participent|particip[ée]s?|participeront|contribuent"
    rf"|contribu[ée]s?|contribueront|financent|financ[ée]s?)"
    # "CAF 50 %, familles 10 %": the users named with their share
    rf"|{PAYERS}(?={_SP}*:?{_SP}*\d{{1,3}}(?:[.,]\d{{1,2}})?{_SP}?%)"
    rf"|prix{_SP}+libres?"), re.IGNORECASE)  # a price each user sets is the users' money
# A users' participation with no payer named: "participation : 5 € par personne".
USERS_FEE_RE = re.compile(
    rf"(?<![\w])(?:participation|tarifs?|cotisations?|adh[ée]sions?|reste{_SP}+[àa]{_SP}+charge"
    rf"|prix{_SP}+d['’]entr[ée]e|entr[ée]es?){_SP}*(?:[^\W\d_]{{4,15}}{_SP}+(?=des|$))?"
    rf"(?:des{_SP}+[^\W\d_]{{3,20}}{_SP}*)?(?:de{_SP}+|d['’])?:?{_SP}*$",
    re.IGNORECASE)
# "pris en charge par la CAF (6 200 €), par les familles 1 720 €": the users pay only after a
# verb of paying, not of bringing ("les gâteaux sont apportés par les parents").
_PAID_BY_RE = re.compile(
    r"(?<![\w])(?:pris(?:es?)?\s+en\s+charge|financ\w*|pay[ée]\w*|r[ée]gl[ée]\w*|couvert\w*"
    r"|vers[ée]\w*|rembours[ée]\w*)(?![\w])", re.IGNORECASE)


def paid_by(text: str, clause_start: int, match: re.Match[str]) -> bool:
    """True when a users' payment cue is a payment: always, unless it is only "par les X",
    which needs a verb of paying before it in the clause."""
    if match.group("by") is None:
        return True
    return _PAID_BY_RE.search(text, max(clause_start, match.start() - 100),
                              match.start()) is not None


def how_many_before(text: str, start: int) -> int | None:
    """The number in "Deux subventions de" ending at `start`, else None."""
    match = _HOW_MANY_RE.search(text, max(0, start - 40), start)
    if match is None:
        return None
    value = parse_whole(match.group("n"))
    return value if value and 1 < value <= 12 else None


# A total told after its amount: "3 k€ en tout", "8 K€ au total".
TOTAL_AFTER_RE = re.compile(
    rf"{_SP}*(?:,{_SP}*)?(?:au{_SP}+total|en{_SP}+tout|au{_SP}+global|de{_SP}+budget)(?![\w])",
    re.IGNORECASE)


def in_kind_after(text: str, end: int, stop: int) -> bool:
    """True when in-kind words right after the amount ending at `end` are about it."""
    match = IN_KIND_AFTER_RE.match(text, end, stop)
    return match is not None and (bool(match.group("link").strip())
                                  or not match.group("word")[0].isupper())

# What may stand between two items of a list of amounts, or open the first one; also after a
# period ("32 000 € / an, dont 25 000 € État").
LIST_LINK_RE = re.compile(
    r"(?:(?:/|par)\s*an\s*)?(?:[,;:+&/]\s*)?(?:et|dont|plus|puis|ainsi\s+que)?", re.IGNORECASE)
# A count of equal amounts written before one of them: "3 x 1 000 €", "2 × 10 000 €".
TIMES_BEFORE_RE = re.compile(r"(?<![\d.,])(\d{1,2})[ \t\u00a0]*[x×][ \t\u00a0]*$")
# An amount heading the list of its parts: "9 000 € : Fonds X 6 000 €, ...".
HEADS_LIST_RE = re.compile(r"[ \t\u00a0]*:")
# Brackets opening right after a funder named after its amount gloss it.
GLOSS_AFTER_RE = re.compile(r"[ \t\u00a0]*\(")
