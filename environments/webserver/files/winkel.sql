-- Database of webwinkel De Appelboom: the products on sale.
CREATE DATABASE IF NOT EXISTS winkel CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE winkel;

CREATE TABLE IF NOT EXISTS producten (
  id    INT AUTO_INCREMENT PRIMARY KEY,
  naam  VARCHAR(100) NOT NULL UNIQUE,
  prijs DECIMAL(6, 2) NOT NULL
);

INSERT IGNORE INTO producten (naam, prijs) VALUES
  ('Appeltaart', 14.95),
  ('Appelflap', 1.75),
  ('Appelsap (1 liter)', 2.95),
  ('Goudreinetten (1 kilo)', 3.49);
