/**
 * The catalogue the synthetic generator draws from. Titles and descriptions are composed from words
 * that belong to one subcategory, so a text encoder puts headphones near headphones and far from
 * garden hoses — the property the GAT's text input relies on. Brands are invented names.
 */
export interface SubcategoryVocabulary {
  name: string;
  /** English name for the category id when `name` is not ASCII (vocabulary-zh.ts); `name` otherwise. */
  key?: string;
  /** What the product is, e.g. "Headphones". */
  nouns: readonly string[];
  adjectives: readonly string[];
  /** Sentence fragments for descriptions and reviews. */
  features: readonly string[];
  /** Median price in USD; prices are log-normal around it. */
  medianPrice: number;
}

export interface RootVocabulary {
  name: string;
  /** English name for the category id when `name` is not ASCII (vocabulary-zh.ts); `name` otherwise. */
  key?: string;
  brands: readonly string[];
  /** Closing sentences shared by the whole department. */
  phrases: readonly string[];
  subcategories: readonly SubcategoryVocabulary[];
}

export const CATALOGUE: readonly RootVocabulary[] = [
  {
    name: 'Electronics',
    brands: ['Sonara', 'Voltix', 'Klarwave', 'Nexon', 'Auralis'],
    phrases: ['Includes a two-year warranty.', 'Ships with a USB-C cable.', 'Firmware updates add features over time.'],
    subcategories: [
      { name: 'Headphones', nouns: ['Headphones', 'Earbuds'], adjectives: ['Wireless', 'Noise-Cancelling', 'Over-Ear', 'Studio', 'Sport'], features: ['active noise cancellation', '30-hour battery life', 'a foldable design', 'deep, balanced bass', 'a low-latency gaming mode'], medianPrice: 89 },
      { name: 'Smartphones', nouns: ['Smartphone', 'Phone'], adjectives: ['5G', 'Compact', 'Pro', 'Dual-SIM', 'Rugged'], features: ['a 120 Hz OLED display', 'a triple-lens camera', 'all-day battery life', 'fast wireless charging', 'an IP68 water-resistant body'], medianPrice: 549 },
      { name: 'Laptops', nouns: ['Laptop', 'Notebook', 'Ultrabook'], adjectives: ['Lightweight', 'Gaming', '14-inch', 'Convertible', 'Business'], features: ['a backlit keyboard', '16 GB of RAM', 'a fast NVMe SSD', 'a dedicated graphics card', 'a fingerprint reader'], medianPrice: 899 },
      { name: 'Cameras', nouns: ['Camera', 'Mirrorless Camera', 'Action Camera'], adjectives: ['4K', 'Full-Frame', 'Waterproof', 'Compact', 'Vlogging'], features: ['in-body image stabilisation', 'a flip-out touchscreen', 'fast autofocus', 'interchangeable lenses', 'RAW photo support'], medianPrice: 399 },
      { name: 'Smart Home', nouns: ['Smart Speaker', 'Smart Plug', 'Video Doorbell'], adjectives: ['Voice-Controlled', 'Wi-Fi', 'Energy-Saving', 'Mini', 'Outdoor'], features: ['voice assistant support', 'scheduling from an app', 'motion alerts', 'easy setup in minutes', 'works with most smart home hubs'], medianPrice: 49 },
    ],
  },
  {
    name: 'Home & Kitchen',
    brands: ['Casaluna', 'Hearthly', 'Kochwerk', 'Maison Verre', 'Oakridge'],
    phrases: ['Dishwasher safe.', 'Designed for everyday family use.', 'Easy to clean and store.'],
    subcategories: [
      { name: 'Cookware', nouns: ['Frying Pan', 'Saucepan', 'Dutch Oven'], adjectives: ['Non-Stick', 'Cast-Iron', 'Stainless Steel', 'Induction-Ready', 'Ceramic'], features: ['even heat distribution', 'an oven-safe handle', 'a PFOA-free coating', 'a tight-fitting glass lid', 'compatibility with all hobs'], medianPrice: 45 },
      { name: 'Coffee Machines', nouns: ['Espresso Machine', 'Coffee Maker', 'Grinder'], adjectives: ['Automatic', 'Barista', 'Drip', 'Burr', 'Compact'], features: ['a 15-bar pump', 'a milk frothing wand', 'a programmable timer', 'adjustable grind size', 'a removable water tank'], medianPrice: 129 },
      { name: 'Bedding', nouns: ['Duvet', 'Pillow', 'Sheet Set'], adjectives: ['Organic Cotton', 'Hypoallergenic', 'Linen', 'Memory Foam', 'All-Season'], features: ['breathable fabric', 'a 400 thread count', 'machine-washable covers', 'a cooling gel layer', 'deep elastic pockets'], medianPrice: 59 },
      { name: 'Furniture', nouns: ['Desk', 'Bookshelf', 'Armchair'], adjectives: ['Oak', 'Minimalist', 'Height-Adjustable', 'Scandinavian', 'Upholstered'], features: ['solid wood legs', 'tool-free assembly', 'a scratch-resistant surface', 'generous storage space', 'a sturdy steel frame'], medianPrice: 189 },
      { name: 'Vacuum Cleaners', nouns: ['Vacuum Cleaner', 'Robot Vacuum', 'Stick Vacuum'], adjectives: ['Cordless', 'Bagless', 'Pet Hair', 'HEPA', 'Self-Emptying'], features: ['strong suction power', 'a washable HEPA filter', 'automatic room mapping', 'a 60-minute runtime', 'quiet operation'], medianPrice: 199 },
    ],
  },
  {
    name: 'Fashion',
    brands: ['Vellora', 'Northkin', 'Atelier Sud', 'Bramble & Co', 'Urbanite'],
    phrases: ['Available in several colours.', 'True to size.', 'Free returns within 30 days.'],
    subcategories: [
      { name: "Women's Dresses", nouns: ['Dress', 'Maxi Dress', 'Wrap Dress'], adjectives: ['Floral', 'Summer', 'Linen', 'Evening', 'Casual'], features: ['a flattering wrap silhouette', 'lightweight breathable fabric', 'side pockets', 'an adjustable waist tie', 'a flowing midi length'], medianPrice: 55 },
      { name: "Men's Shirts", nouns: ['Shirt', 'Oxford Shirt', 'Polo Shirt'], adjectives: ['Slim-Fit', 'Cotton', 'Button-Down', 'Striped', 'Non-Iron'], features: ['a tailored fit', 'soft brushed cotton', 'a classic collar', 'mother-of-pearl buttons', 'wrinkle-resistant fabric'], medianPrice: 39 },
      { name: 'Sneakers', nouns: ['Sneakers', 'Trainers', 'Running Shoes'], adjectives: ['Leather', 'Lightweight', 'Retro', 'Trail', 'Cushioned'], features: ['a cushioned midsole', 'a breathable mesh upper', 'a grippy rubber outsole', 'a padded collar', 'reflective details'], medianPrice: 79 },
      { name: 'Jackets', nouns: ['Jacket', 'Parka', 'Rain Jacket'], adjectives: ['Waterproof', 'Down', 'Insulated', 'Packable', 'Denim'], features: ['a detachable hood', 'taped seams', 'warm synthetic insulation', 'zip hand pockets', 'a windproof shell'], medianPrice: 119 },
      { name: 'Accessories', nouns: ['Backpack', 'Wallet', 'Scarf'], adjectives: ['Leather', 'Minimalist', 'Wool', 'Water-Resistant', 'Vintage'], features: ['RFID protection', 'a padded laptop sleeve', 'hand-stitched edges', 'soft merino wool', 'plenty of card slots'], medianPrice: 35 },
    ],
  },
  {
    name: 'Sports & Outdoors',
    brands: ['Peakline', 'Trailborn', 'Fjordlight', 'Velocita', 'Summitra'],
    phrases: ['Built for the outdoors.', 'Tested by athletes.', 'Lightweight and durable.'],
    subcategories: [
      { name: 'Camping', nouns: ['Tent', 'Sleeping Bag', 'Camping Stove'], adjectives: ['Two-Person', 'Ultralight', 'Four-Season', 'Compact', 'Insulated'], features: ['a quick pitch design', 'a waterproof rainfly', 'a comfort rating of -5 °C', 'a compact carry bag', 'a fuel-efficient burner'], medianPrice: 95 },
      { name: 'Cycling', nouns: ['Bike Helmet', 'Bike Light', 'Road Bike'], adjectives: ['Aero', 'Rechargeable', 'Carbon', 'Commuter', 'Mountain'], features: ['MIPS impact protection', 'a 1000-lumen beam', 'a lightweight carbon frame', 'hydraulic disc brakes', 'integrated ventilation'], medianPrice: 69 },
      { name: 'Fitness', nouns: ['Dumbbell Set', 'Yoga Mat', 'Resistance Bands'], adjectives: ['Adjustable', 'Non-Slip', 'Heavy-Duty', 'Eco-Friendly', 'Home Gym'], features: ['quick weight adjustment', 'extra cushioning for joints', 'five resistance levels', 'a non-slip textured surface', 'a carry strap'], medianPrice: 39 },
      { name: 'Running', nouns: ['GPS Watch', 'Running Vest', 'Running Shorts'], adjectives: ['Lightweight', 'Reflective', 'Marathon', 'Breathable', 'Trail'], features: ['accurate GPS tracking', 'heart-rate monitoring', 'a hydration bladder pocket', 'quick-dry fabric', 'a two-week battery'], medianPrice: 59 },
      { name: 'Fishing', nouns: ['Fishing Rod', 'Spinning Reel', 'Tackle Box'], adjectives: ['Telescopic', 'Saltwater', 'Carbon Fibre', 'Beginner', 'Fly'], features: ['a smooth drag system', 'corrosion-resistant bearings', 'a sensitive tip', 'multiple storage trays', 'a portable length'], medianPrice: 49 },
    ],
  },
  {
    name: 'Beauty',
    brands: ['Lumiessa', 'Botanique', 'Dermacalm', 'Aurea', 'Velvé'],
    phrases: ['Dermatologically tested.', 'Cruelty-free.', 'Suitable for sensitive skin.'],
    subcategories: [
      { name: 'Skincare', nouns: ['Moisturiser', 'Serum', 'Cleanser'], adjectives: ['Hydrating', 'Vitamin C', 'Retinol', 'Fragrance-Free', 'Night'], features: ['hyaluronic acid for hydration', 'a lightweight non-greasy texture', 'brightening vitamin C', 'gentle exfoliation', 'SPF 30 protection'], medianPrice: 24 },
      { name: 'Makeup', nouns: ['Foundation', 'Lipstick', 'Mascara'], adjectives: ['Long-Wear', 'Matte', 'Volumising', 'Natural', 'Waterproof'], features: ['buildable coverage', 'a smudge-proof finish', 'a creamy formula', 'twenty shades', 'all-day wear'], medianPrice: 18 },
      { name: 'Hair Care', nouns: ['Shampoo', 'Conditioner', 'Hair Dryer'], adjectives: ['Sulphate-Free', 'Repairing', 'Ionic', 'Volumising', 'Argan Oil'], features: ['frizz control', 'nourishing argan oil', 'fast drying with less heat', 'colour protection', 'a fresh citrus scent'], medianPrice: 16 },
      { name: 'Fragrance', nouns: ['Eau de Parfum', 'Eau de Toilette', 'Body Mist'], adjectives: ['Floral', 'Woody', 'Fresh', 'Oriental', 'Citrus'], features: ['notes of bergamot and cedar', 'a long-lasting sillage', 'a refillable bottle', 'a warm vanilla base', 'a travel-size atomiser'], medianPrice: 55 },
      { name: 'Grooming', nouns: ['Beard Trimmer', 'Electric Shaver', 'Shaving Kit'], adjectives: ['Cordless', 'Precision', 'Wet & Dry', 'Rechargeable', 'Travel'], features: ['20 length settings', 'self-sharpening blades', 'a 90-minute runtime', 'a waterproof body', 'a travel lock'], medianPrice: 45 },
    ],
  },
  {
    name: 'Books',
    brands: ['Inkwell Press', 'Harbor House', 'Meridian Books', 'Lanternfield', 'Quillstone'],
    phrases: ['Available in paperback and hardcover.', 'A bestseller in its category.', 'Includes a reading group guide.'],
    subcategories: [
      { name: 'Fiction', nouns: ['Novel', 'Thriller', 'Mystery Novel'], adjectives: ['Gripping', 'Award-Winning', 'Historical', 'Psychological', 'Epic'], features: ['a twist you will not see coming', 'vivid, memorable characters', 'a page-turning plot', 'a richly drawn setting', 'lyrical prose'], medianPrice: 14 },
      { name: 'Science Fiction & Fantasy', nouns: ['Space Opera', 'Fantasy Saga', 'Sci-Fi Novel'], adjectives: ['Epic', 'Dystopian', 'Interstellar', 'Magical', 'Cyberpunk'], features: ['sweeping world-building', 'a hard-science premise', 'a magic system with rules', 'first contact with aliens', 'a band of unlikely heroes'], medianPrice: 15 },
      { name: 'Cookbooks', nouns: ['Cookbook', 'Baking Book', 'Recipe Collection'], adjectives: ['Vegetarian', 'Italian', 'Quick & Easy', 'Plant-Based', 'Family'], features: ['over 100 tested recipes', 'step-by-step photos', 'weeknight dinners in 30 minutes', 'seasonal ingredients', 'baking tips from a pastry chef'], medianPrice: 22 },
      { name: "Children's Books", nouns: ['Picture Book', 'Bedtime Story', 'Activity Book'], adjectives: ['Illustrated', 'Rhyming', 'Interactive', 'Educational', 'Bilingual'], features: ['bright illustrations', 'lift-the-flap pages', 'a gentle bedtime rhythm', 'puzzles and stickers', 'first words in two languages'], medianPrice: 9 },
      { name: 'Business', nouns: ['Business Book', 'Leadership Guide', 'Personal Finance Guide'], adjectives: ['Practical', 'Bestselling', 'Data-Driven', 'Essential', 'Modern'], features: ['case studies from real companies', 'frameworks for decision making', 'advice on investing', 'habits of effective leaders', 'negotiation tactics'], medianPrice: 19 },
    ],
  },
  {
    name: 'Toys & Games',
    brands: ['Playforge', 'Tinkertop', 'Brightblock', 'Wonderkin', 'Meeple Works'],
    phrases: ['Recommended for ages 6 and up.', 'Safety tested.', 'Makes a great gift.'],
    subcategories: [
      { name: 'Board Games', nouns: ['Board Game', 'Card Game', 'Party Game'], adjectives: ['Strategy', 'Cooperative', 'Family', 'Two-Player', 'Deck-Building'], features: ['games that last about 45 minutes', 'high replay value', 'beautiful artwork', 'simple rules with deep strategy', 'play for 2 to 6 players'], medianPrice: 35 },
      { name: 'Building Sets', nouns: ['Building Set', 'Construction Kit', 'Brick Set'], adjectives: ['Creative', 'Technic', 'Architecture', 'Motorised', 'Starter'], features: ['over 500 pieces', 'a working motor', 'step-by-step instructions', 'compatibility with other sets', 'a display-worthy model'], medianPrice: 49 },
      { name: 'Puzzles', nouns: ['Jigsaw Puzzle', 'Puzzle Cube', 'Brain Teaser'], adjectives: ['1000-Piece', 'Panoramic', '3D', 'Wooden', 'Speed'], features: ['precisely cut pieces', 'a poster for reference', 'a smooth turning mechanism', 'sustainably sourced wood', 'a challenging design'], medianPrice: 19 },
      { name: 'Dolls & Figures', nouns: ['Action Figure', 'Doll', 'Plush Toy'], adjectives: ['Collectible', 'Poseable', 'Soft', 'Articulated', 'Limited Edition'], features: ['14 points of articulation', 'super-soft fabric', 'detailed accessories', 'a collector display box', 'hand-painted details'], medianPrice: 24 },
      { name: 'Video Games', nouns: ['Video Game', 'Game Controller', 'Gaming Headset'], adjectives: ['Open-World', 'Racing', 'Wireless', 'Multiplayer', 'Adventure'], features: ['an open world to explore', 'online multiplayer', 'haptic feedback', 'a 40-hour campaign', 'customisable buttons'], medianPrice: 49 },
    ],
  },
  {
    name: 'Grocery',
    brands: ['Greenfold', 'Harvest Lane', 'Terroir Foods', 'Little Orchard', 'Salt & Ember'],
    phrases: ['Sourced from trusted farms.', 'No artificial preservatives.', 'Best enjoyed fresh.'],
    subcategories: [
      { name: 'Coffee & Tea', nouns: ['Coffee Beans', 'Green Tea', 'Herbal Tea'], adjectives: ['Single-Origin', 'Organic', 'Dark Roast', 'Decaf', 'Loose-Leaf'], features: ['notes of chocolate and cherry', 'a smooth low-acid finish', 'fair-trade sourcing', 'a calming chamomile blend', 'whole beans roasted weekly'], medianPrice: 14 },
      { name: 'Snacks', nouns: ['Trail Mix', 'Protein Bar', 'Crisps'], adjectives: ['High-Protein', 'Sea Salt', 'Gluten-Free', 'Low-Sugar', 'Crunchy'], features: ['20 g of protein per bar', 'roasted almonds and cashews', 'no added sugar', 'a satisfying crunch', 'a resealable pouch'], medianPrice: 6 },
      { name: 'Pantry', nouns: ['Olive Oil', 'Pasta', 'Spice Set'], adjectives: ['Extra Virgin', 'Bronze-Cut', 'Organic', 'Smoked', 'Artisan'], features: ['cold-pressed olives', 'slow-dried durum wheat', 'twelve essential spices', 'a peppery finish', 'a traditional recipe'], medianPrice: 9 },
      { name: 'Beverages', nouns: ['Sparkling Water', 'Juice', 'Kombucha'], adjectives: ['Sugar-Free', 'Cold-Pressed', 'Natural', 'Probiotic', 'Fruity'], features: ['real fruit flavour', 'live cultures', 'zero calories', 'a refreshing fizz', 'a pack of twelve'], medianPrice: 8 },
      { name: 'Baby Food', nouns: ['Baby Puree', 'Infant Cereal', 'Toddler Snacks'], adjectives: ['Organic', 'Iron-Fortified', 'Stage 1', 'No-Salt', 'Wholegrain'], features: ['pureed vegetables and fruit', 'no added salt or sugar', 'easy-to-hold pieces', 'iron for growing babies', 'squeezable pouches'], medianPrice: 5 },
    ],
  },
  {
    name: 'Garden & Tools',
    brands: ['Rootwell', 'Ironleaf', 'Greenshed', 'Torque & Tine', 'Hollowbrook'],
    phrases: ['Built to last for years.', 'Weather-resistant finish.', 'Comes with a three-year guarantee.'],
    subcategories: [
      { name: 'Power Tools', nouns: ['Cordless Drill', 'Circular Saw', 'Impact Driver'], adjectives: ['18V', 'Brushless', 'Compact', 'Heavy-Duty', 'Variable-Speed'], features: ['a brushless motor', 'two lithium-ion batteries', 'an LED work light', 'a keyless chuck', 'a carry case'], medianPrice: 109 },
      { name: 'Hand Tools', nouns: ['Screwdriver Set', 'Hammer', 'Socket Set'], adjectives: ['Magnetic', 'Chrome Vanadium', 'Precision', 'Ergonomic', 'Professional'], features: ['magnetic tips', 'ergonomic grips', 'a lifetime warranty', 'hardened steel', 'a labelled storage case'], medianPrice: 29 },
      { name: 'Gardening', nouns: ['Garden Hose', 'Pruning Shears', 'Raised Bed'], adjectives: ['Expandable', 'Bypass', 'Cedar', 'Kink-Free', 'Galvanised'], features: ['a kink-free design', 'sharp bypass blades', 'rot-resistant cedar', 'a multi-pattern spray nozzle', 'rust-proof fittings'], medianPrice: 35 },
      { name: 'Outdoor Furniture', nouns: ['Patio Set', 'Sun Lounger', 'Hammock'], adjectives: ['Rattan', 'Teak', 'Foldable', 'All-Weather', 'Cushioned'], features: ['UV-resistant cushions', 'solid teak wood', 'a folding frame', 'seating for four', 'rust-resistant aluminium'], medianPrice: 249 },
      { name: 'Lawn Care', nouns: ['Lawn Mower', 'Leaf Blower', 'Grass Trimmer'], adjectives: ['Cordless', 'Self-Propelled', 'Electric', 'Mulching', 'Lightweight'], features: ['adjustable cutting height', 'a 40 V battery', 'a grass collection bag', 'low noise', 'a mulching blade'], medianPrice: 179 },
    ],
  },
  {
    name: 'Pet Supplies',
    brands: ['Pawsome', 'Whisker & Tail', 'Barkley', 'Furwell', 'Kibblecraft'],
    phrases: ['Vet recommended.', 'Loved by pets and their owners.', 'Made with natural ingredients.'],
    subcategories: [
      { name: 'Dog Food', nouns: ['Dry Dog Food', 'Wet Dog Food', 'Dog Treats'], adjectives: ['Grain-Free', 'Puppy', 'Senior', 'High-Protein', 'Salmon'], features: ['real meat as the first ingredient', 'added omega-3 for a shiny coat', 'no artificial colours', 'small kibble for puppies', 'joint support for older dogs'], medianPrice: 39 },
      { name: 'Cat Supplies', nouns: ['Cat Litter', 'Scratching Post', 'Cat Food'], adjectives: ['Clumping', 'Odour-Control', 'Sisal', 'Indoor', 'Hairball'], features: ['strong odour control', 'sturdy sisal rope', 'hairball control', 'a multi-level tower', 'low dust'], medianPrice: 25 },
      { name: 'Aquarium', nouns: ['Aquarium Kit', 'Aquarium Filter', 'Fish Food'], adjectives: ['Freshwater', 'LED', 'Nano', 'Quiet', 'Tropical'], features: ['a silent filter', 'LED lighting with day and night modes', 'a 60-litre tank', 'nutrient-rich flakes', 'easy water changes'], medianPrice: 45 },
      { name: 'Dog Accessories', nouns: ['Dog Bed', 'Dog Harness', 'Dog Leash'], adjectives: ['Orthopaedic', 'No-Pull', 'Reflective', 'Washable', 'Retractable'], features: ['orthopaedic memory foam', 'a no-pull front clip', 'reflective stitching', 'a removable washable cover', 'a padded handle'], medianPrice: 35 },
      { name: 'Small Animals', nouns: ['Hamster Cage', 'Rabbit Hutch', 'Bird Cage'], adjectives: ['Spacious', 'Two-Storey', 'Wooden', 'Easy-Clean', 'Outdoor'], features: ['a pull-out tray', 'a built-in exercise wheel', 'weatherproof roofing', 'multiple levels', 'chew-safe materials'], medianPrice: 59 },
    ],
  },
];

export const POSITIVE_REVIEW_OPENERS = [
  'Really happy with this.',
  'Exactly what I was looking for.',
  'Great value for the money.',
  'Exceeded my expectations.',
  'Would buy again.',
];
export const NEUTRAL_REVIEW_OPENERS = ['It does the job.', 'Decent, with a few compromises.', 'Okay for the price.'];
export const NEGATIVE_REVIEW_OPENERS = [
  'Disappointed with this one.',
  'Not as described.',
  'Stopped working after a few weeks.',
  'I returned it.',
];

export const COUNTRIES: readonly { code: string; weight: number }[] = [
  { code: 'US', weight: 30 },
  { code: 'GB', weight: 12 },
  { code: 'DE', weight: 12 },
  { code: 'FR', weight: 9 },
  { code: 'JP', weight: 8 },
  { code: 'CA', weight: 6 },
  { code: 'ES', weight: 5 },
  { code: 'IT', weight: 5 },
  { code: 'NL', weight: 4 },
  { code: 'AU', weight: 4 },
  { code: 'BR', weight: 3 },
  { code: 'SE', weight: 2 },
];
