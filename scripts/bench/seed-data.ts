/** Name pools for realistic, varied bench profiles (Nordic names dominate, as in the real data). */

export const FIRST_NAMES = list(
  'Ole,Lars,Per,Jan,Kari,Anne,Ingrid,Liv,Hans,Knut,Bjørn,Arne,Eva,Marit,Randi,Silje,Nora,' +
    'Emma,Sofie,Ella,Maja,Olivia,Ingeborg,Frida,Sara,Thea,Ida,Julie,Hanna,Astrid,Sigrid,Åse,' +
    'Tone,Hilde,Jakob,Emil,Noah,Oliver,Filip,William,Lucas,Henrik,Magnus,Sander,Mathias,' +
    'Tobias,Elias,Aksel,Isak,Kristian,Martin,Andreas,Thomas,Eirik,Øyvind,Geir,Tor,Rune,Terje,' +
    'Trond,Svein,Stian,Vegard,Håkon,Sindre,Jonas,Even,Mads,Sebastian,Adrian,Aleksander,' +
    'Daniel,Marius,Ragnhild,Solveig,Gunn,Turid,Berit,Grete,Wenche,Mette,Camilla,Linn,Vilde,' +
    'Tiril,Aurora,Amalie,Mia,Leah,Selma,Iben,Tuva,Live,Oda,Ahmed,Mohammed,Ali,Fatima,Aisha,' +
    'Piotr,Anna,Katarzyna,Tomasz,Jonas,Erik,Karin,Lena,Johan,Mikael,Niklas,Freja,Alma,Ebba,' +
    'Linnea,Jørgen,Pål,Ståle,Dag,Finn,Nils,Gro,Unni,Elin,Ane,Marte,Synne',
);

export const SURNAMES = list(
  'Hansen,Johansen,Olsen,Larsen,Andersen,Pedersen,Nilsen,Kristiansen,Jensen,Karlsen,' +
    'Johnsen,Pettersen,Eriksen,Berg,Haugen,Hagen,Johannessen,Andreassen,Jacobsen,Dahl,' +
    'Jørgensen,Halvorsen,Henriksen,Lund,Sørensen,Jakobsen,Moen,Gundersen,Iversen,Strand,' +
    'Solberg,Svendsen,Eide,Knutsen,Martinsen,Paulsen,Bakken,Kristoffersen,Mathisen,Lie,' +
    'Amundsen,Nguyen,Rasmussen,Ali,Lunde,Solheim,Berge,Moe,Nygård,Bakke,Kristensen,' +
    'Fredriksen,Holm,Lien,Hauge,Christensen,Andresen,Nielsen,Knudsen,Evensen,Sæther,Aas,' +
    'Myhre,Hanssen,Ahmed,Haugland,Thomassen,Sivertsen,Simonsen,Danielsen,Berntsen,Sandvik,' +
    'Rønning,Arnesen,Antonsen,Næss,Vik,Haug,Ellingsen,Thorsen,Edvardsen,Birkeland,Isaksen,' +
    'Gulbrandsen,Ruud,Aasen,Strøm,Myklebust,Tangen,Ødegård,Eliassen,Helland,Bøe,Jenssen,Aune,' +
    'Mikkelsen,Tveit,Brekke,Abrahamsen,Madsen,Nordby,Nordli,Nordahl,Nordmann,Nordhagen,' +
    'Nordvik,Sunde,Fjeld,Dale,Rød,Hovland,Tveten,Kowalski,Nowak,Wiśniewski,Khan,Hussain,Tran,' +
    'Le,Pham,Svensson,Lindqvist,Andersson,Karlsson,Lindberg,Bergström,Grønli,Skog,Foss,Engen,' +
    'Fossum,Nyberg,Vold,Tollefsen,Wold,Sandberg,Holmen,Bakkevig',
);

export const EMAIL_DOMAINS = list(
  'gmail.com,hotmail.com,online.no,outlook.com,yahoo.no,live.no,icloud.com,epost.no,' +
    'firma.no,uio.no,ntnu.no,telia.no',
);

export const STREETS = list(
  'Storgata,Kirkegata,Skolegata,Parkveien,Bjørnstjerne Bjørnsons gate,Hovedveien,' +
    'Fjordveien,Industriveien,Kongens gate,Dronningens gate,Strandveien,Solveien,Granveien,' +
    'Bjørkeveien,Furuveien,Eikeveien,Lienveien,Torggata,Jernbanegata',
);

export const CITIES = list(
  'Oslo,Bergen,Trondheim,Stavanger,Drammen,Fredrikstad,Kristiansand,Tromsø,Sandnes,' +
    'Sarpsborg,Skien,Bodø,Ålesund,Sandefjord,Larvik,Tønsberg,Arendal,Hamar,Lillehammer,Molde,' +
    'Gjøvik,Harstad,Halden,Kongsberg',
);

export const LANGUAGES = list('NB,NB,NB,NB,NN,EN,EN,SV,DA');

function list(commaSeparated: string): string[] {
  return commaSeparated.split(',');
}

/**
 * The long tail of surnames (farm and place names): prefix + suffix gives 600 rarer names, so a
 * search for an uncommon surname is as selective as in real data.
 */
export const SURNAME_STEMS = list(
  'Nord,Sør,Øst,Vest,Berg,Lunde,Haug,Bakke,Dal,Fjell,Skog,Strand,Vik,Aas,Bø,Holm,Li,Mo,Rud,' +
    'Sand,Stein,Ek,Løv,Hval,Tor',
);
export const SURNAME_ENDINGS = list(
  'heim,land,by,vik,stad,rud,set,dal,berg,bakken,haug,nes,li,mo,gård,seth,øy,vold,tun,aker,' +
    'hagen,sæter,voll,strand',
);
