"""Paraphrase suite: every trigger rule, said again in other words, must mostly still extract.

For each trigger id in data/lang/en/events/*.yaml there are invented sentences that tell the same
kind of happening in other wording (verbs, nouns, passives, halts). Most of them (>= 80% overall,
and at least one per rule) must yield the event type. Invented negative sentences, close in
wording, must not yield the type. Every sentence here is invented; none comes from a real report.
"""

from __future__ import annotations

import pytest

from borderwatch.extract.events import event_rules, find_events
from tests.extract import factsbuild as fb

MIN_SHARE = 0.80


def P(rule: str, sentence: str, c: tuple[str, ...] = (), m: tuple[str, ...] = (),
      p: tuple[str, ...] = ()) -> tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """One paraphrase: rule as '<type>.<trigger id>', the sentence, and the commodities, money
    and places a finder would see in it."""
    return (rule, sentence, c, m, p)


PARAPHRASES = [
    # --- border_tightening
    P("border_tightening.closure", "The authorities shut the crossing at Namyang without warning."),
    P("border_tightening.closure", "Both customs houses on the bridge have been sealed since Monday."),
    P("border_tightening.closure", "Pyongyang slammed its frontier shut in the first week of the outbreak."),
    P("border_tightening.closure", "The regime has kept its border lockdown in place for a third winter."),
    P("border_tightening.closure", "Traders see few signs that the land routes will reopen this year."),
    P("border_tightening.guarded", "The riverbank is now heavily patrolled day and night."),
    P("border_tightening.guarded", "Officials said trade across the bridge is strictly controlled."),
    P("border_tightening.controls", "Night patrols on the island were doubled after the incident."),
    P("border_tightening.controls", "Guards stepped up inspections at the river crossing."),
    P("border_tightening.controls", "Residents described tighter border security along the frontier."),
    P("border_tightening.controls", "The county ordered a tightening of controls at the checkpoints near the border."),
    P("border_tightening.tightened_rules", "Customs toughened the rules for every truck heading to the border."),
    P("border_tightening.tightened_rules", "The province restricted travel to border counties this spring."),
    P("border_tightening.tightened_rules", "Only a handful of officials are permitted to cross into China each week."),
    P("border_tightening.tightened_rules", "The consulate stopped issuing visas for visits across the border."),
    P("border_tightening.checkpoint", "Soldiers put up a new barbed wire fence along the riverbank."),
    P("border_tightening.checkpoint", "The county installed dozens of surveillance cameras near the crossing."),
    P("border_tightening.checkpoint", "Extra boat patrols and new checkpoints appeared along the river."),
    P("border_tightening.checkpoint", "Workers built an electrified fence along the shallow stretch of the river."),
    P("border_tightening.crackdown_contact", "Police are cracking down on phone calls to relatives across the border."),
    P("border_tightening.crackdown_contact", "A crackdown on contact with Chinese traders began in March."),
    P("border_tightening.ban", "Residents were barred from approaching the river after dark."),
    P("border_tightening.ban", "A new notice forbids fishing near the border posts."),
    P("border_tightening.customs_harder", "Customs inspections became far stricter for incoming cargo."),
    P("border_tightening.customs_harder", "China toughened customs checks on goods bound for the North."),
    P("border_tightening.cut_off", "All coastal shipping was put on hold last week."),
    P("border_tightening.cut_off", "Freight traffic across the bridge has ground to a halt."),
    P("border_tightening.cut_off", "Officials ordered a suspension of rail freight to the border city."),
    P("border_tightening.cut_off", "The agency will stop accepting imports of seafood from the port."),
    P("border_tightening.shoot_order", "Guards have orders to shoot anyone who approaches the riverbank."),
    P("border_tightening.shoot_order", "Soldiers were told to open fire on people crossing without permission."),
    P("border_tightening.zone", "The army expanded a restricted zone along the river."),
    P("border_tightening.zone", "Villagers must keep at least a kilometre away from the border fence."),
    # --- border_easing
    P("border_easing.reopen", "The two sides restored freight traffic over the bridge in May."),
    P("border_easing.reopen", "Customs at the port has finally reopened after two years."),
    P("border_easing.reopen", "Traders welcomed the resumption of overland trade through the city."),
    P("border_easing.relaxed", "Beijing loosened some border restrictions on Chinese traders."),
    P("border_easing.relaxed", "Inspections on cross-border freight have been relaxed."),
    P("border_easing.relaxed", "Customs officers now run relatively loose checks on goods entering the port."),
    P("border_easing.blind_eye", "Local guards turned a blind eye to the night traders."),
    P("border_easing.blind_eye", "Police at the crossing now look the other way."),
    P("border_easing.opening", "The new bridge opened to trucks for the first time."),
    P("border_easing.opening", "The bridge was finally opened to traffic in October."),
    P("border_easing.first_crossing", "Cargo trains rolled across the bridge again on Tuesday."),
    P("border_easing.first_crossing", "Trucks crossed the border for the first time since the pandemic."),
    P("border_easing.allowed", "Large trading firms were given permission to resume trade at the customs office."),
    P("border_easing.allowed", "The stranded aid will be let through the port next month."),
    # --- enforcement
    P("enforcement.fine", "Officials slapped hefty fines on the vendors.", m=()),
    P("enforcement.fine", "Each trader was fined for selling without a permit."),
    P("enforcement.fine", "She had to hand over a fine of KPW 300,000.", m=("KPW 300,000",)),
    P("enforcement.arrest", "Security agents apprehended two couriers at the station."),
    P("enforcement.arrest", "The broker was caught at the scene with the phones."),
    P("enforcement.arrest", "Border police were told to identify and expel undocumented migrants."),
    P("enforcement.arrest", "Investigators launched an investigation into the families of the escapees."),
    P("enforcement.arrest", "The second man later turned himself in to the police."),
    P("enforcement.punish", "The court jailed the smuggler for six years."),
    P("enforcement.punish", "The state strongly punishes anyone who crosses without permission."),
    P("enforcement.punish", "Detainees were beaten during the questioning."),
    P("enforcement.punish", "Traders have been suffering at the hands of the security police."),
    P("enforcement.punish", "Two brokers were convicted by the provincial court in May."),
    P("enforcement.punish", "The driver was charged with smuggling medicine into the county."),
    P("enforcement.dismiss", "The party sacked three customs officers over the scandal."),
    P("enforcement.dismiss", "The border unit chief was removed from his post."),
    P("enforcement.crackdown", "Police launched a crackdown on illegal phone use."),
    P("enforcement.crackdown", "Authorities are cracking down on unlicensed market stalls."),
    P("enforcement.task_force", "The ministry sent a special inspection team to the border city."),
    P("enforcement.task_force", "A joint task force was set up to catch currency dealers."),
    P("enforcement.identity_checks", "Agents are checking travel permits on every train."),
    P("enforcement.identity_checks", "The police conducted house searches across the district."),
    P("enforcement.raid", "Inspectors raided the warehouses near the station."),
    P("enforcement.raid", "Police searched the homes of five traders."),
    P("enforcement.pay_penalty", "Those caught with foreign films must pay RMB 3,000.", m=("RMB 3,000",)),
    P("enforcement.pay_penalty", "The convicted women were ordered to pay a penalty to the court."),
    P("enforcement.confiscate", "Officers confiscated the sacks of rice at the gate.", c=("rice",)),
    P("enforcement.confiscate", "The families were forced to hand over the cash they had received."),
    P("enforcement.surveillance", "The relatives live under constant surveillance by state security agents."),
    P("enforcement.surveillance", "Police have started to monitor the phones of returning workers."),
    P("enforcement.surveillance", "The regime is stepping up its oversight of workers sent abroad."),
    # --- smuggling
    P("smuggling.smuggle", "Traders smuggled the copper out in small boats."),
    P("smuggling.smuggle", "Smugglers ferry phones across the river each night."),
    P("smuggling.contraband", "Contraband still moves through the mountain passes."),
    P("smuggling.contraband", "The port saw a surge in illicit shipments last month."),
    P("smuggling.across_river", "Couriers carry the herbs across the river at night.", c=("herbs",)),
    P("smuggling.across_river", "Villagers move medicine across the border in backpacks.", c=("medicine",)),
    P("smuggling.passed_across", "Sacks of grain are tossed across narrow points of the river.", c=("grain",)),
    P("smuggling.passed_across", "The goods were handed over the river to waiting buyers."),
    P("smuggling.hidden_goods", "The phones were concealed inside a truck of cabbages.", c=("phones",)),
    P("smuggling.hidden_goods", "A driver was stopped with copper hidden under the seats.", c=("copper",)),
    P("smuggling.at_sea", "A tanker was seen pumping fuel into a freighter at night.", c=("fuel",)),
    P("smuggling.at_sea", "The coal was offloaded onto a foreign barge at sea.", c=("coal",)),
    P("smuggling.at_sea", "The country received diesel by transshipment from other tankers.", c=("diesel",)),
    P("smuggling.interdicted", "A boat loaded with cigarettes was intercepted by the coast guard."),
    P("smuggling.interdicted", "Two trucks carrying scrap metal had been stopped near the bridge."),
    P("smuggling.mislabelled", "The seafood left in crates labelled as Chinese goods.", c=("seafood",)),
    P("smuggling.mislabelled", "The ore was repackaged as Russian products before export.", c=("ore",)),
    # --- trade
    P("trade.route", "The flour was shipped by rail to the border city.", c=("flour",)),
    P("trade.route", "Most fertilizer arrives by sea through the port of Nampho.", c=("fertilizer",)),
    P("trade.moved_via", "Building materials entered the country through the customs house.", c=("Building materials",)),
    P("trade.moved_via", "Machine parts have arrived in the port city via the new bridge.", c=("Machine parts",)),
    P("trade.moved_via", "The terminal now mainly handles imports of food and fuel.", c=("food", "fuel")),
    P("trade.flows", "The country imported more soybeans from Russia this year.", c=("soybeans",)),
    P("trade.flows", "Textiles are being exported to China again.", c=("Textiles",)),
    P("trade.flows", "China made up 90 percent of the country's recorded trade."),
    P("trade.flows", "Officials noted a slump in exports of seafood.", c=("seafood",)),
    P("trade.flows", "The North's trade deficit with China widened."),
    P("trade.flows", "China exported 12,000 tons of rice to North Korea in May.", c=("rice",)),
    P("trade.shipment", "A consignment of fertilizer reached the port.", c=("fertilizer",)),
    P("trade.shipment", "Several vessels were moving between the two harbours this week."),
    P("trade.shipment", "The agency began shipments through the northern port."),
    P("trade.service_resumed", "Ferry services between the two ports resumed in June."),
    P("trade.service_resumed", "Freight through the border crossing has gradually recovered."),
    P("trade.customs", "Forty trucks cleared customs at the bridge on Monday."),
    P("trade.customs", "The sugar passed through customs without delay.", c=("sugar",)),
    P("trade.volume", "Exports to the North climbed sharply in the spring."),
    P("trade.volume", "Bilateral trade hit its highest level in five years."),
    P("trade.volume", "Imports of wheat flour remained steady through the autumn.", c=("wheat flour",)),
    P("trade.engage", "The firm continued trade with its partners across the river."),
    P("trade.engage", "Several agencies were told to continue trade despite the closures."),
    P("trade.engage", "Renewed freight train service linked the two cities in the summer."),
    # --- trade_demand
    P("trade_demand.request", "Factories sent repeated requests for more materials from China.", c=("materials",)),
    P("trade_demand.request", "Importers filed a request for additional fertilizer supplies.", c=("fertilizer",)),
    P("trade_demand.asking", "Provincial firms asked Chinese partners for steel products.", c=("steel products",)),
    P("trade_demand.asking", "The state ordered machinery from Chinese suppliers.", c=("machinery",)),
    P("trade_demand.want_import", "Traders are hoping to import more rice before winter.", c=("rice",)),
    P("trade_demand.want_import", "The ministry sought to buy fertilizer from abroad.", c=("fertilizer",)),
    P("trade_demand.demand", "There is strong demand for Chinese cooking oil.", c=("cooking oil",)),
    P("trade_demand.demand", "Batteries are in high demand in the border towns."),
    P("trade_demand.shortage", "Markets are running low on imported flour.", c=("flour",)),
    P("trade_demand.shortage", "A shortage of fuel has hit the eastern towns.", c=("fuel",)),
    # --- defection
    P("defection.defect", "A guard defected to the South in the spring."),
    P("defection.defect", "Brokers organised the defection of a family of five."),
    P("defection.flee", "She escaped into China by crossing the frozen river."),
    P("defection.flee", "The women fled the North in small groups."),
    P("defection.flee", "Officials were alarmed by a group escape of restaurant staff."),
    P("defection.left_north", "The couple left North Korea with help from a broker."),
    P("defection.left_north", "Eight workers ran away from their factory dormitory in China."),
    P("defection.crossing", "More North Koreans are making the dangerous crossing into China."),
    P("defection.crossing", "The escapees finally reached South Korea last spring."),
    P("defection.attempt_crossing", "He attempted to escape into China by crossing the ice."),
    P("defection.attempt_crossing", "Two teenagers tried to wade across the river in August."),
    P("defection.crossed_river", "Her brother swam across the river to escape."),
    P("defection.crossed_river", "The refugees walked across the ice at night."),
    P("defection.help_leave", "The pastor helped dozens of women flee North Korea."),
    P("defection.help_leave", "A broker guided three people across the border."),
    # --- repatriation
    P("repatriation.repatriate", "Chinese police repatriated the detained escapees."),
    P("repatriation.repatriate", "Rights groups condemned the forced return of the refugees."),
    P("repatriation.repatriate", "Beijing forcibly sent back more than fifty people."),
    P("repatriation.recall", "Pyongyang has summoned hundreds of its workers home from China."),
    P("repatriation.recall", "The state began to call back laborers stationed in Russia."),
    P("repatriation.send_back", "The detainees were handed over to North Korean security agents."),
    P("repatriation.send_back", "Women who were arrested were sent back to the North."),
    # --- remittance
    P("remittance.remit", "Remittances from the South keep many families afloat."),
    P("remittance.remit", "She remitted part of her salary through a broker."),
    P("remittance.payments_home", "Brokers arrange payments from defectors to their relatives."),
    P("remittance.payments_home", "The carrier handled transfers to families in the interior."),
    P("remittance.send_money", "Escapees wire cash to their parents through couriers."),
    P("remittance.send_money", "The money his sister had sent never reached the family."),
    P("remittance.broker_fee", "Brokers now take a cut of 30 percent on each delivery."),
    P("remittance.broker_fee", "Couriers charge a commission of 20 percent on money transfers."),
    # --- price
    P("price.change", "Corn prices in the eastern markets have dropped."),
    P("price.change", "Bus fares have doubled since the spring."),
    P("price.change", "Rice prices appear to have stabilised after the harvest."),
    P("price.change", "Traders reported a sharp rise in fuel prices."),
    P("price.similar_change", "Hyesan saw a similar increase in the price of corn.", m=()),
    P("price.similar_change", "That is down from KPW 7,000 a month ago.", m=("KPW 7,000",)),
    P("price.currency_value", "The won has depreciated sharply against the US dollar."),
    P("price.currency_value", "One dollar fetched 8,200 won in the markets.", m=("8,200 won",)),
    P("price.currency_value", "The yuan rose by 20% against the local currency."),
    P("price.sold_for", "Diesel is selling for KPW 24,000 a litre.", m=("KPW 24,000",)),
    P("price.sold_for", "A pair of shoes costs around RMB 90 now.", m=("RMB 90",)),
    P("price.unit_price", "Pork was KPW 16,000 per kilogram last week.", m=("KPW 16,000",)),
    P("price.unit_price", "Importers pay 400 yuan per ton for the ore.", m=("400 yuan",)),
    P("price.exchange_rate", "The dollar exchange rate hit a record high this week."),
    P("price.exchange_rate", "Exchange rates rose again in the border markets."),
    # --- health
    P("health.cases", "Dozens of fever patients were reported in the county."),
    P("health.cases", "Many residents are suffering from flu-like symptoms."),
    P("health.cases", "The country has tested 30,000 people for the virus so far."),
    P("health.cases", "Border posts started temperature checks on arrivals."),
    P("health.no_cases", "State media insisted there are no confirmed cases of the virus in the country."),
    P("health.no_cases", "Officials claim the country has never had a single coronavirus case."),
    P("health.outbreak", "A measles outbreak spread through the schools."),
    P("health.outbreak", "The virus has spread to the border villages."),
    P("health.outbreak", "The death toll from the cholera outbreak rose to twelve."),
    P("health.situation", "The state praised its strict anti-epidemic measures."),
    P("health.situation", "Officials say the epidemic situation has stabilized."),
    P("health.quarantine", "Arrivals from China must isolate for ten days."),
    P("health.quarantine", "The returning workers were held in quarantine at the port."),
    P("health.quarantine", "Imported goods are kept in isolation for two weeks."),
    # --- sanctions
    P("sanctions.action", "Washington imposed fresh sanctions on three shipping firms."),
    P("sanctions.action", "The firms are skirting U.N. sanctions by using front companies."),
    P("sanctions.action", "Traders say business has suffered under international sanctions."),
    P("sanctions.violation", "The shipments were in breach of Security Council resolutions."),
    P("sanctions.violation", "The company was blacklisted by the Treasury last year."),
    P("sanctions.violation", "The trucks carried sanctioned goods such as machinery and steel."),
    P("sanctions.violation", "The bank moved funds for sanctioned North Korean shipping firms."),
    P("sanctions.ban", "The Security Council banned imports of seafood from the country."),
    P("sanctions.ban", "The resolution set a ban on exports of textiles."),
    P("sanctions.evasion", "The tanker went dark after switching off its transponder."),
    P("sanctions.evasion", "Deliveries of refined oil far exceeded the annual cap set by the council."),
    P("sanctions.overseas_workers", "Hundreds of North Korean workers were dispatched to Russian construction sites."),
    P("sanctions.overseas_workers", "The state sent 300 North Korean laborers to factories abroad."),
    # --- corruption
    P("corruption.bribe", "The smugglers bribed the customs chief."),
    P("corruption.bribe", "Inspectors demanded cigarettes from vendors at the market."),
    P("corruption.bribe", "Agents were extorting money from the families of escapees."),
    P("corruption.paid_off", "The guards were paid off to let the boats through."),
    P("corruption.paid_off", "Officials took money from traders in exchange for permits."),
    P("corruption.paid_officials", "Traders paid the border guards RMB 500 per trip.", m=("RMB 500",)),
    P("corruption.paid_officials", "Guards now demand 200 yuan from each carrier.", m=("200 yuan",)),
    P("corruption.pay_to_go", "Detained smugglers have to pay RMB 2,000 to be released.", m=("RMB 2,000",)),
    P("corruption.pay_to_go", "Anyone caught by the guards must pay 3,000 yuan to walk free.", m=("3,000 yuan",)),
    P("corruption.corrupt", "Corruption among customs officers is widespread."),
    P("corruption.corrupt", "The corrupt officials sold travel permits to traders."),
    # --- company
    P("company.change", "The cabinet merged two trading companies in the province."),
    P("company.change", "Several new trading firms were established by state agencies."),
    P("company.change", "The number of foreign-currency-earning companies grew sharply."),
    P("company.license", "The ministry revoked the export licences of six firms."),
    P("company.license", "Trading agencies must reapply for new waku every year."),
    P("company.license", "The export permit was later given to a military company."),
    # --- military
    P("military.launch", "The North test-fired two cruise missiles on Sunday."),
    P("military.launch", "A ballistic missile was launched toward the sea."),
    P("military.nuclear", "The regime carried out its seventh nuclear test."),
    P("military.nuclear", "The country detonated a hydrogen bomb under the mountain."),
    P("military.deploy", "The army mobilised two brigades near the capital."),
    P("military.deploy", "Beijing stationed additional warships in the gulf."),
    P("military.deployed", "Tanks were redeployed to the eastern front."),
    P("military.deployed", "More artillery units have reportedly been massed near the coast."),
    P("military.drill", "The two navies held joint exercises in the sea."),
    P("military.drill", "State media showed a large military parade."),
    # --- diplomacy
    P("diplomacy.summit", "The two leaders met at a summit in the Russian port city."),
    P("diplomacy.summit", "Officials resumed working-level talks in Beijing."),
    P("diplomacy.visit", "The premier visited Pyongyang with a large delegation."),
    P("diplomacy.visit", "The foreign minister met his Chinese counterpart on Friday."),
    P("diplomacy.visit", "Kim Jong Un returned from a trip abroad last week."),
    P("diplomacy.talks", "The ministers held talks on border trade."),
    P("diplomacy.talks", "The government urged Beijing to stop the deportations."),
    P("diplomacy.agreement", "The two governments signed a new border agreement."),
    P("diplomacy.agreement", "Officials marked the 70th anniversary of diplomatic relations."),
    # a second batch, written before the triggers that now read them
    P("border_tightening.closure", "The regime has shut down all crossings along the Tumen since January."),
    P("border_tightening.controls", "Beijing tightened its grip on the frontier after the defections."),
    P("border_tightening.controls", "Security along the river has been beefed up considerably."),
    P("border_tightening.checkpoint", "Guard posts were added every 100 meters along the fence."),
    P("border_tightening.closure", "North Korea has closed its border to all foreign visitors."),
    P("border_tightening.cut_off", "Cross-border traffic was suspended indefinitely on Friday."),
    P("border_tightening.ban", "The authorities banned residents from going near the riverbank."),
    P("border_easing.relaxed", "China lifted its ban on group tours to the North."),
    P("border_easing.reopen", "Passenger trains are running again between the two capitals."),
    P("border_easing.relaxed", "Border checks have become noticeably laxer in recent weeks."),
    P("border_easing.reopen", "The border reopened to trade in the autumn."),
    P("enforcement.punish", "Three smugglers were given lengthy prison terms."),
    P("enforcement.arrest", "Police detained more than a dozen people in the sweep."),
    P("enforcement.punish", "The official was executed by firing squad last month."),
    P("enforcement.fine", "Inspectors fined market vendors for selling South Korean goods."),
    P("enforcement.arrest", "Dozens were hauled off to a labor camp."),
    P("enforcement.crackdown", "The security ministry launched a sweeping crackdown on illegal phones."),
    P("smuggling.smuggle", "Drugs are being smuggled into China across the river."),
    P("smuggling.contraband", "Traders move contraband cigarettes across the border at night."),
    P("smuggling.contraband", "A network of couriers brings Chinese phones into the country illegally."),
    P("trade.flows", "China's exports to North Korea rose 20 percent in March."),
    P("trade.volume", "Bilateral trade totalled $200 million in the first quarter."),
    P("trade.shipment", "A cargo ship carrying 5,000 tons of flour docked in Nampo."),
    P("trade.flows", "North Korea shipped coal to Chinese ports last year."),
    P("trade_demand.demand", "Demand for solar panels has soared in the countryside."),
    P("defection.defect", "A North Korean soldier crossed the demilitarized zone to defect."),
    P("defection.flee", "Two fishermen who drifted south asked to stay in South Korea."),
    P("defection.crossing", "The number of defectors arriving in the South fell sharply."),
    P("repatriation.send_back", "China sent 60 North Korean women back across the border."),
    P("repatriation.send_back", "Dozens of escapees were deported from China in October."),
    P("remittance.send_money", "Defectors in Seoul send money home through brokers."),
    P("remittance.remit", "Cash transfers from the South have dried up."),
    P("price.change", "The price of rice jumped to KPW 6,000 per kilogram."),
    P("price.sold_for", "A kilogram of corn now goes for 2,800 won.", m=('2,800 won',)),
    P("price.change", "Gasoline prices hit a record high in Pyongyang."),
    P("health.outbreak", "A typhoid outbreak was reported in the province."),
    P("health.cases", "Hundreds of people have fallen ill with fever."),
    P("health.quarantine", "The government ordered a nationwide lockdown."),
    P("sanctions.ban", "The UN imposed a cap on refined petroleum imports."),
    P("sanctions.violation", "Washington blacklisted two Chinese firms for trading with Pyongyang."),
    P("sanctions.action", "The ship was caught violating UN sanctions."),
    P("corruption.paid_officials", "Officials demanded bribes from the traders."),
    P("corruption.paid_off", "Customs officers pocketed payments from smugglers."),
    P("company.change", "The state set up a new trading company in Sinuiju."),
    P("company.change", "Authorities shut down several trading firms accused of fraud."),
    P("military.launch", "North Korea fired an intercontinental ballistic missile."),
    P("military.deploy", "The army deployed additional troops to the coast."),
    P("diplomacy.leaders_met", "Kim Jong Un met Vladimir Putin in Vladivostok."),
    P("diplomacy.summit", "Chinese and North Korean officials held talks in Dandong."),
    P("diplomacy.visit", "The Chinese foreign minister paid a visit to Pyongyang."),
    P("diplomacy.leaders_met", "Xi Jinping met Kim Jong Un in Beijing on Tuesday."),
    P("diplomacy.summit", "Vladimir Putin held talks with Kim Jong Un at the space centre."),
    P("trade_demand.asking", "North Korea is seeking more fertilizer from China.", c=("fertilizer",)),
    # a third batch
    P("border_tightening.closure", "Pyongyang ordered the closure of all border crossings with Russia."),
    P("border_tightening.controls", "Chinese border guards have stepped up night-time patrols along the Yalu."),
    P("border_tightening.tightened_rules", "Movement in and out of the border city has been restricted."),
    P("border_tightening.closure", "The government imposed a lockdown on the border region."),
    P("border_easing.allowed", "North Korea has allowed Chinese tourists back into the country."),
    P("border_easing.relaxed", "Restrictions on cross-border travel were lifted last week."),
    P("border_easing.reopen", "The customs office in Sinuiju resumed operations on Monday."),
    P("enforcement.arrest", "More than 20 people were rounded up during the inspection."),
    P("enforcement.arrest", "The woman was sent to a re-education camp for two years."),
    P("enforcement.arrest", "The police arrested a man who had been selling South Korean films."),
    P("enforcement.punish", "Security officials interrogated the brokers for three days."),
    P("enforcement.punish", "Three smugglers were shot dead by border guards."),
    P("smuggling.smuggle", "Smuggling across the frozen river has surged this winter."),
    P("smuggling.across_river", "Chinese traders are secretly bringing in goods across the river."),
    P("smuggling.smuggle", "The smuggled cigarettes were sold at the local market."),
    P("trade.shipment", "Trucks loaded with construction materials crossed the bridge into Sinuiju."),
    P("trade.volume", "North Korea's imports of Chinese flour doubled in May."),
    P("trade.volume", "China resumed exports of fertilizer to North Korea."),
    P("trade.moved_via", "The port handled more than 300 containers last month."),
    P("trade_demand.asking", "Pyongyang has asked Beijing for more food aid.", c=('food',)),
    P("trade_demand.shortage", "There is a severe shortage of medicine in the border towns."),
    P("defection.flee", "A woman and her daughter slipped across the border into China."),
    P("defection.flee", "The soldier fled across the military demarcation line."),
    P("defection.flee", "She escaped from North Korea in 2012 with the help of a broker."),
    P("repatriation.send_back", "Chinese authorities handed the escapees back to North Korea."),
    P("repatriation.send_back", "The detainees face being sent home to North Korea."),
    P("remittance.broker_fee", "Brokers charge a 30 percent fee for delivering money from South Korea."),
    P("remittance.send_money", "She receives money from her son in Seoul twice a year through a broker."),
    P("price.change", "The cost of a kilogram of pork has risen to 15,000 won.", m=('15,000 won',)),
    P("price.change", "Rice now costs twice as much as it did last year."),
    P("price.currency_value", "The won fell to 9,000 against the dollar."),
    P("health.cases", "Officials confirmed 12 new cases of measles in the county."),
    P("health.quarantine", "The city was placed under lockdown after a suspected outbreak."),
    P("health.quarantine", "Workers returning from China are quarantined for a month."),
    P("sanctions.violation", "The Treasury Department sanctioned three Russian firms."),
    P("sanctions.action", "The Security Council adopted a new resolution tightening sanctions."),
    P("sanctions.violation", "The vessel was found to be carrying North Korean coal in violation of UN resolutions."),
    P("corruption.bribe", "Customs officials accepted bribes to let contraband through."),
    P("corruption.paid_officials", "Traders routinely pay guards to ignore their shipments."),
    P("company.license", "The ministry granted new trade licences to five companies."),
    P("company.change", "Two state trading firms were merged into one."),
    P("military.launch", "North Korea launched a reconnaissance satellite."),
    P("military.deployed", "Troops were deployed to the border area near the demilitarized zone."),
    P("diplomacy.leaders_met", "Xi Jinping hosted Kim Jong Un in Beijing."),
    P("diplomacy.visit", "A North Korean delegation arrived in Moscow for talks."),
]

# Invented sentences close in wording that must NOT yield the type.
NEGATIVES = [
    ("border_tightening", "The restaurant closed its doors for the holiday."),
    ("border_tightening", "Police strictly monitor the social media accounts of returnees."),
    ("border_tightening", "Since the pandemic led to border closures, many workers are stranded."),
    ("border_easing", "The new school reopened its library."),
    ("border_easing", "The trader shrugged when asked about the border reopening."),
    ("border_easing", "Only a few people are allowed to enter the country each week."),
    ("enforcement", "The sanctions were meant to punish Pyongyang for its weapons programme."),
    ("enforcement", "Escapees who are sent home face punishment and torture."),
    ("enforcement", "Wages of the workers were confiscated by the North Korean state."),
    ("enforcement", "The smugglers managed to avoid being caught by the patrols."),
    ("enforcement", "Small shops were forced to hand over their vans to the state firm."),
    ("enforcement", "Returned women are routinely subjected to searches, beatings and forced labour."),
    ("smuggling", "Smuggling along the river has stopped entirely."),
    ("smuggling", "The police offered rewards for tips on smuggling in the county."),
    ("smuggling", "Human smuggling rings charge high fees to refugees."),
    ("smuggling", "The bend of the river is popular for smuggling because it is narrow."),
    ("smuggling", "A sign by the river bans smuggling and drug trafficking."),
    ("trade", "The virus may have been imported from China through the border."),
    ("trade", "Most of the agencies have little to do with foreign trade."),
    ("trade", "Officials call selling state copper to China a crime against the nation."),
    ("trade_demand", "The official asked for forgiveness at the meeting."),
    ("defection", "The delegation left North Korea after a three-day visit."),
    ("defection", "The family found defects in the imported shoes."),
    ("defection", "A pastor who helps North Koreans escape spoke at the event."),
    ("repatriation", "The body of the broker was repatriated to China."),
    ("repatriation", "Rights groups fear they will be tortured if returned to North Korea."),
    ("remittance", "Sanctions on money transfers have made life harder."),
    ("price", "The exchange rates are collected every week by reporters."),
    ("price", "The cost of living is a common complaint."),
    ("health", "The hospital bought two new ambulances."),
    ("sanctions", "The ship turned on its lights before entering port."),
    ("corruption", "The anti-corruption office held a meeting."),
    ("company", "The trading company sold shoes at the market."),
    ("military", "Soldiers were deployed along the river to stop smugglers."),
    ("diplomacy", "The trader visited the market to buy shoes."),
    ("border_tightening", "Smuggling across the frozen river has surged this winter."),
    ("smuggling", "The police set up a hotline for reports about smuggling."),
]


# Background sentences of the kind every report carries: no event of any type.
NEUTRAL = [
    "The market was crowded on Sunday morning.",
    "Residents say life has become harder since last year.",
    "The report did not name the officials involved.",
    "The newspaper could not independently verify the claims.",
    "The river is about 100 meters wide at this point.",
    "Many families in the county rely on farming.",
    "The source asked not to be named for safety reasons.",
    "North Korea shares a 1,400-kilometre border with China.",
    "The city is home to about 300,000 people.",
    "He said the weather had been unusually cold.",
    "border, china, north korea, trade, defectors, remittance",
]

def _types(sentence: str, commodities: tuple[str, ...], money: tuple[str, ...],
           places: tuple[str, ...]) -> set[str]:
    d = fb.doc(sentence)
    mentions = [fb.commodity(d, c) for c in commodities] + [fb.place(d, p) for p in places]
    amounts = [fb.money(d, t, 1000, "CNY") for t in money]
    return {e.type for e in find_events(d, mentions, amounts, [], []) if not e.negated}


def _rule_ids() -> set[str]:
    return {t.rule.removeprefix("event.") for r in event_rules() for t in r.triggers.values()}


def test_paraphrases_cover_every_trigger_rule() -> None:
    counts: dict[str, int] = {}
    for rule, *_ in PARAPHRASES:
        counts[rule] = counts.get(rule, 0) + 1
    rules = _rule_ids()
    assert not (set(counts) - rules), f"paraphrases for unknown rules: {sorted(set(counts) - rules)}"
    thin = sorted(r for r in rules if counts.get(r, 0) < 2)
    assert not thin, f"trigger rules with fewer than two paraphrases: {thin}"


def test_paraphrases_mostly_extract() -> None:
    missed: dict[str, list[str]] = {}
    hits = 0
    for rule, sentence, c, m, p in PARAPHRASES:
        etype = rule.split(".")[0]
        if etype in _types(sentence, c, m, p):
            hits += 1
        else:
            missed.setdefault(rule, []).append(sentence)
    share = hits / len(PARAPHRASES)
    by_rule: dict[str, int] = {}
    for rule, *_ in PARAPHRASES:
        by_rule[rule] = by_rule.get(rule, 0) + 1
    dead = sorted(r for r, n in by_rule.items() if len(missed.get(r, [])) == n)
    assert not dead, f"rules none of whose paraphrases extract: {dead}"
    assert share >= MIN_SHARE, f"{share:.2f} of paraphrases extract; missed: {missed}"


@pytest.mark.parametrize("etype, sentence", NEGATIVES)
def test_paraphrase_negatives(etype: str, sentence: str) -> None:
    assert etype not in _types(sentence, (), (), ())


@pytest.mark.parametrize("sentence", NEUTRAL)
def test_paraphrase_neutral_sentences_yield_no_event(sentence: str) -> None:
    assert _types(sentence, (), (), ()) == set()
