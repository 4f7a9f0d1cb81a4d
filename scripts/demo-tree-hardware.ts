import type { TopCategory } from './demo-catalog';

/**
 * The demo catalog as data, tools and hardware (supplies are in demo-tree-supplies.ts): top category →
 * sub category → leaf lines. One leaf per line keeps ~150 leaves reviewable. Line format:
 *
 *   'Leaf name|Family base|Noun|grades|sizes|variants|UOM:packs'
 *
 * - Family base: plural range name ('' = the leaf name). Each grade (';'-separated) is its own family
 *   ("Hex bolts DIN 933" + "A2 stainless"), unless the list starts with '~': then the grades are one more
 *   option within a single family (corded / cordless grinders are one range).
 * - grades, sizes, variants: lists with an optional `attribute=` key (defaults: material, size, variant).
 *   `1.0..13.0/0.1` expands to a range (`6..32/1 mm` adds a unit). A variant starting with 'x' is glued
 *   to the size ("M8" + "x40" → "M8x40").
 * - UOM:packs: unit of measure and the pack sizes sold (BOX:100,200 → "box of 100", "box of 200").
 */
export const HARDWARE: TopCategory[] = [
  {
    name: 'Fasteners',
    skuPrefix: 'FAS',
    unspsc: '31161500',
    brands: ['Ferrox', 'Nordfix', 'Vissen'],
    subs: {
      Screws: [
        'Wood screws||Wood screw|yellow zinc;A2 stainless;black phosphated|3.0,3.5,4.0,4.5,5.0,6.0|lengthMm=x12,x16,x20,x25,x30,x35,x40,x45,x50,x60,x70,x80,x100|BOX:100,200,500',
        'Socket cap screws|Socket cap screws DIN 912|Socket cap screw DIN 912|8.8 black;10.9 black;A2 stainless;A4 stainless|M3,M4,M5,M6,M8,M10,M12,M16|lengthMm=x6,x8,x10,x12,x16,x20,x25,x30,x35,x40,x45,x50,x60,x70,x80|BOX:50,100,200',
        'Countersunk screws|Countersunk screws DIN 7991|Countersunk screw DIN 7991|10.9 black;A2 stainless|M3,M4,M5,M6,M8,M10,M12|lengthMm=x8,x10,x12,x16,x20,x25,x30,x35,x40,x50,x60|BOX:100,200',
        'Self-tapping screws||Self-tapping screw|zinc plated;A2 stainless|2.9,3.5,3.9,4.2,4.8,5.5,6.3|lengthMm=x9.5,x13,x16,x19,x22,x25,x32,x38,x50|BOX:250,1000',
        'Chipboard screws||Chipboard screw|yellow zinc;black phosphated|3.5,4.0,4.5,5.0,6.0|lengthMm=x20,x25,x30,x35,x40,x50,x60,x70,x80,x100,x120|BOX:200,500',
      ],
      Bolts: [
        'Hex bolts|Hex bolts DIN 933|Hex bolt DIN 933|8.8 zinc;10.9 black;A2 stainless;A4 stainless|M5,M6,M8,M10,M12,M14,M16,M20,M24|lengthMm=x10,x12,x16,x20,x25,x30,x35,x40,x45,x50,x55,x60,x70,x80,x90,x100,x120,x150|BOX:25,50,100',
        'Part-threaded hex bolts|Hex bolts DIN 931|Hex bolt DIN 931|8.8 zinc;A2 stainless|M6,M8,M10,M12,M14,M16,M20,M24|lengthMm=x40,x50,x60,x70,x80,x90,x100,x110,x120,x140,x160,x180,x200|BOX:25,50',
        'Carriage bolts|Carriage bolts DIN 603|Carriage bolt DIN 603|zinc plated;hot-dip galvanised;A2 stainless|M5,M6,M8,M10,M12|lengthMm=x20,x25,x30,x40,x50,x60,x70,x80,x100,x120,x140,x160|BOX:50,100',
        'Threaded rods|Threaded rods DIN 976|Threaded rod DIN 976|4.8 zinc;8.8 plain;A2 stainless;A4 stainless|M4,M5,M6,M8,M10,M12,M14,M16,M20,M24,M30|lengthMm=x1000,x2000,x3000|EA',
        'Eye bolts|Eye bolts DIN 580|Eye bolt DIN 580|C15 zinc;A4 stainless|M6,M8,M10,M12,M16,M20,M24,M30||EA',
      ],
      'Nuts & washers': [
        'Hex nuts|Hex nuts DIN 934|Hex nut DIN 934|8 zinc;10 black;A2 stainless;A4 stainless|M3,M4,M5,M6,M8,M10,M12,M14,M16,M20,M24,M30||BOX:50,100,200,500',
        'Nyloc nuts|Nyloc nuts DIN 985|Nyloc nut DIN 985|8 zinc;A2 stainless;A4 stainless|M3,M4,M5,M6,M8,M10,M12,M14,M16,M20||BOX:100,200,500',
        'Flange nuts|Flange nuts DIN 6923|Flange nut DIN 6923|8 zinc;A2 stainless|M4,M5,M6,M8,M10,M12,M16|flange=smooth,serrated|BOX:100,200',
        'Flat washers|Flat washers DIN 125|Flat washer DIN 125|zinc plated;A2 stainless;A4 stainless|3.2,4.3,5.3,6.4,8.4,10.5,13,15,17,21,25||BOX:100,200,500,1000',
        'Spring washers|Spring washers DIN 127|Spring washer DIN 127|spring steel zinc;A2 stainless|M3,M4,M5,M6,M8,M10,M12,M16,M20||BOX:200,500,1000',
      ],
      'Anchors & rivets': [
        'Nylon plugs|Nylon wall plugs|Nylon wall plug|PA6 grey;PA6 with collar|5,6,8,10,12,14|lengthMm=x25,x30,x35,x40,x50,x60,x80|BOX:50,100,200',
        'Chemical anchors|Chemical anchor rods|Chemical anchor rod|5.8 zinc;A4 stainless|M8,M10,M12,M16,M20,M24|lengthMm=x110,x130,x160,x190,x220,x260|PK:5,10',
        'Wedge anchors||Wedge anchor|zinc plated;hot-dip galvanised;A4 stainless|M6,M8,M10,M12,M16,M20|lengthMm=x55,x75,x95,x115,x135,x165,x200|BOX:20,50',
        'Blind rivets||Blind rivet|aluminium-steel;aluminium-aluminium;stainless-stainless|3.2,4.0,4.8,6.4|lengthMm=x6,x8,x10,x12,x14,x16,x18,x20,x25|BOX:250,500,1000',
      ],
    },
  },
  {
    name: 'Hand tools',
    skuPrefix: 'HAN',
    unspsc: '27111700',
    brands: ['Hartwell', 'Toolmark', 'Stahlgrip'],
    subs: {
      'Wrenches & sockets': [
        'Combination spanners||Combination spanner|~type=chrome vanadium;ratcheting|6..32/1 mm||EA',
        'Socket sets||Socket set|~type=chrome vanadium;impact grade|1/4" drive,3/8" drive,1/2" drive|pieces=12 pcs,25 pcs,46 pcs,94 pcs|EA',
        'Torque wrenches||Torque wrench|~type=click type;digital|1/4" drive 2-25 Nm,3/8" drive 20-100 Nm,1/2" drive 40-200 Nm,1/2" drive 60-340 Nm||EA',
        'Adjustable wrenches||Adjustable wrench|~type=phosphated;chrome plated|150 mm,200 mm,250 mm,300 mm,375 mm||EA',
      ],
      'Screwdrivers & bits': [
        'Slotted screwdrivers||Slotted screwdriver|~insulation=VDE insulated;standard grip|2.5x75,3.0x100,3.5x100,4.0x100,5.5x125,6.5x150,8.0x175||EA',
        'Phillips screwdrivers||Phillips screwdriver|~insulation=VDE insulated;standard grip|PH0,PH1,PH2,PH3|lengthMm=x60,x80,x100,x150|EA',
        'Torx screwdrivers||Torx screwdriver|~type=standard tip;ball end|T6,T8,T10,T15,T20,T25,T27,T30,T40,T45||EA',
        'Bit sets||Screwdriver bit set|~type=S2 steel;impact grade|25 mm bits,50 mm bits|pieces=10 pcs,32 pcs,61 pcs|EA',
      ],
      'Pliers & cutters': [
        'Combination pliers||Combination pliers|~insulation=VDE insulated;dipped grips|160 mm,180 mm,200 mm||EA',
        'Diagonal cutters||Diagonal cutter|~insulation=VDE insulated;standard|125 mm,140 mm,160 mm,180 mm,200 mm||EA',
        'Water pump pliers||Water pump pliers|~type=push-button;slip-joint|180 mm,250 mm,300 mm,400 mm||EA',
        'Wire strippers||Wire stripper|~type=automatic;manual|0.2-6 mm²,0.03-10 mm²||EA',
      ],
      'Measuring & marking': [
        'Tape measures||Tape measure|~type=class II;magnetic hook class II|3 m,5 m,8 m,10 m|blade=19 mm blade,25 mm blade,32 mm blade|EA',
        'Spirit levels||Spirit level|~aluminium box profile;magnetic box profile|30 cm,40 cm,60 cm,80 cm,100 cm,120 cm,150 cm,200 cm||EA',
        'Calipers||Vernier caliper|~type=stainless;digital stainless|150 mm,200 mm,300 mm||EA',
        'Marking pens||Paint marker|~type=valve action|1-2 mm,2-4 mm|colour=white,yellow,red,blue,black,green|PK:10',
      ],
    },
  },
  {
    name: 'Power tools',
    skuPrefix: 'POW',
    unspsc: '27112700',
    brands: ['Voltaro', 'Dynacore', 'Torqline'],
    subs: {
      'Drills & drivers': [
        'Cordless drill drivers||Cordless drill driver|~motor=brushless;brushed|12 V,18 V|battery=bare tool,2 x 2.0 Ah,2 x 4.0 Ah,2 x 5.0 Ah|EA',
        'Hammer drills|SDS-plus hammer drills|SDS-plus hammer drill|~supply=corded;18 V cordless|2 J,2.7 J,3.2 J,4 J|kit=with case,with dust extraction|EA',
        'Impact drivers||Impact driver|~motor=brushless|12 V,18 V|battery=bare tool,2 x 2.0 Ah,2 x 5.0 Ah|EA',
      ],
      'Grinders & sanders': [
        'Angle grinders||Angle grinder|~supply=corded;18 V cordless|115 mm,125 mm,150 mm,180 mm,230 mm|power=standard,high power|EA',
        'Orbital sanders|Random orbital sanders|Random orbital sander|~supply=corded;18 V cordless|125 mm,150 mm|orbit=2.5 mm orbit,5 mm orbit|EA',
        'Belt sanders||Belt sander|~supply=corded|75x457 mm,75x533 mm,100x610 mm||EA',
      ],
      Saws: [
        'Circular saws||Circular saw|~supply=corded;18 V cordless|165 mm,184 mm,190 mm,235 mm||EA',
        'Jigsaws||Jigsaw|~supply=corded;18 V cordless|top handle,barrel grip||EA',
        'Reciprocating saws||Reciprocating saw|~supply=corded;18 V cordless|standard,compact one-hand||EA',
      ],
      'Drill bits & blades': [
        'HSS drill bits|HSS twist drills DIN 338|HSS twist drill DIN 338|HSS-G;HSS-Co5;TiN coated|diameterMm=1.0..13.0/0.1||PK:5,10',
        'SDS bits|SDS-plus masonry bits|SDS-plus masonry bit|2-cutter;4-cutter|5,6,8,10,12,14,16|lengthMm=x110,x160,x210,x260,x310,x450|EA',
        'Hole saws|Bi-metal hole saws|Bi-metal hole saw|8% cobalt|diameterMm=14,16,19,20,22,25,29,32,35,38,40,44,51,57,64,68,76,83,92,102,114,127||EA',
        'Jigsaw blades||Jigsaw blade|wood;metal;laminate|T101B,T111C,T118A,T144D,T244D,T301CD,T318A||PK:5,25,100',
      ],
      'Batteries & chargers': [
        'Batteries|Li-ion batteries|Li-ion battery pack|~type=18 V;12 V|2.0 Ah,3.0 Ah,4.0 Ah,5.0 Ah,8.0 Ah||EA',
        'Chargers||Battery charger|~type=standard;fast;dual-bay|10.8-18 V||EA',
      ],
    },
  },
  {
    name: 'Abrasives',
    skuPrefix: 'ABR',
    unspsc: '31191500',
    brands: ['Abrasa', 'Grindex', 'Toolmark'],
    subs: {
      'Bonded discs': [
        'Cutting discs||Cutting disc|inox;steel;stone|115x1.0,115x1.6,125x1.0,125x1.6,125x2.5,150x1.6,180x1.9,230x1.9,230x3.0||PK:10,25,50',
        'Grinding discs||Grinding disc|~steel;inox|115x6.0,125x6.0,180x6.0,230x6.0||PK:10,25',
        'Flap discs||Flap disc|zirconia;ceramic|115 mm,125 mm,180 mm|grit=P36,P40,P60,P80,P120|PK:10',
      ],
      'Coated abrasives': [
        'Sanding sheets||Sanding sheet|aluminium oxide;silicon carbide|93x230,115x280,230x280|grit=P40,P60,P80,P100,P120,P150,P180,P240,P320,P400|PK:10,50',
        'Sanding rolls||Sanding roll|~cloth-backed|115 mm x 25 m,115 mm x 50 m|grit=P40,P60,P80,P100,P120,P150,P180,P240|EA',
        'Sanding discs|Hook-and-loop sanding discs|Hook-and-loop sanding disc|aluminium oxide;ceramic|125 mm 8 holes,150 mm 6 holes,150 mm 15 holes|grit=P40,P60,P80,P120,P180,P240,P320,P400|PK:50,100',
        'Sanding belts||Sanding belt|~zirconia;aluminium oxide|75x457,75x533,100x610,100x915|grit=P40,P60,P80,P120|PK:10',
      ],
      'Non-woven': [
        'Hand pads||Non-woven hand pad|~type=general purpose;fine finish|152x229|grade=coarse,medium,very fine,ultra fine|PK:10,20',
        'Surface conditioning discs||Surface conditioning disc|~type=quick-change|50 mm,75 mm,115 mm,125 mm|grade=coarse,medium,very fine|PK:25',
        'Non-woven rolls||Non-woven roll|~type=general purpose|100 mm x 10 m,115 mm x 10 m|grade=coarse,medium,very fine|EA',
      ],
      'Wire brushes': [
        'Cup brushes||Wire cup brush|~crimped steel;knotted steel;crimped stainless|65 mm,75 mm,100 mm|thread=M14,M14 x 2 shank|EA',
        'Wheel brushes||Wire wheel brush|~crimped steel;knotted steel|100 mm,115 mm,125 mm,150 mm,178 mm||EA',
        'Hand wire brushes||Hand wire brush|~steel wire;stainless wire;brass wire|3 rows,4 rows,5 rows||PK:5',
      ],
    },
  },
  {
    name: 'Safety & PPE',
    skuPrefix: 'SAF',
    unspsc: '46181500',
    brands: ['Securo', 'Protexa', 'Vigilo'],
    subs: {
      'Hand protection': [
        'Cut-resistant gloves||Cut-resistant glove|level B;level C;level D;level F|size 6,size 7,size 8,size 9,size 10,size 11||PK:12,60',
        'Disposable gloves|Disposable nitrile gloves|Disposable nitrile glove|~type=powder-free blue;powder-free black|XS,S,M,L,XL,XXL|thickness=0.10 mm,0.14 mm,0.20 mm|BOX:50,100',
        'Leather gloves|Leather work gloves|Leather work glove|~cowhide;goatskin|size 7,size 8,size 9,size 10,size 11||PK:12',
        'Chemical gloves|Chemical-resistant gloves|Chemical-resistant glove|nitrile;neoprene;butyl|size 7,size 8,size 9,size 10,size 11|cuff=330 mm,380 mm|PK:12',
      ],
      'Eye & face': [
        'Safety glasses|Safety glasses EN 166|Safety glasses EN 166|~lens=clear;smoke;yellow;clear anti-fog|standard,over-glasses,slim fit||EA',
        'Goggles|Safety goggles EN 166|Safety goggle EN 166|~ventilation=indirect vent;sealed|clear,clear anti-fog||EA',
        'Face shields||Face shield|~polycarbonate;mesh|200 mm,300 mm|mount=headband,helmet mount|EA',
      ],
      'Head & hearing': [
        'Safety helmets|Safety helmets EN 397|Safety helmet EN 397|~ventilation=vented;non-vented|white,yellow,blue,red,orange,green||EA',
        'Ear plugs||Foam ear plug|~type=corded;uncorded|SNR 33,SNR 36,SNR 37||BOX:200,500',
        'Ear muffs||Ear muff|~type=headband;helmet mount|SNR 27,SNR 31,SNR 35||EA',
        'Bump caps||Bump cap|~type=standard peak;short peak|black,navy,grey,hi-vis yellow||EA',
      ],
      Respiratory: [
        'Disposable masks|Disposable respirators|Disposable respirator|FFP1;FFP2;FFP3|foldable,cup shaped|valve=no valve,with valve|BOX:10,20',
        'Half masks||Half mask respirator|~silicone;TPE|S,M,L||EA',
        'Filters|Respirator filters|Respirator filter|~class=A1;A2;ABEK1;P3|bayonet,threaded||PK:2,8',
      ],
      'Footwear & workwear': [
        'Safety shoes|Safety shoes S3|Safety shoe S3|~type=low cut;mid cut|36..48/1|width=normal,wide|EA',
        'Safety boots|Safety boots S3|Safety boot S3|~leather;waterproof membrane|38..47/1||EA',
        'Hi-vis vests|Hi-vis vests EN ISO 20471|Hi-vis vest EN ISO 20471|~colour=yellow;orange|S,M,L,XL,XXL,3XL||PK:10',
        'Work trousers||Work trouser|~polycotton;stretch|38..56/2|colour=navy,grey,black|EA',
      ],
    },
  },
];
