<?php
// Webwinkel De Appelboom: lists the products from the database.
// The connection settings come from PHP-FPM (env[...] in the pool file).
header('Content-Type: text/html; charset=utf-8');
$host = getenv('DB_HOST');
$name = getenv('DB_NAME');
$user = getenv('DB_USER');
$pass = getenv('DB_PASSWORD');
?>
<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Webwinkel De Appelboom</title></head>
<body>
<h1>Webwinkel De Appelboom</h1>
<?php
try {
    $db = new PDO("mysql:host=$host;dbname=$name;charset=utf8mb4", $user, $pass,
        [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 3]);
    echo "<ul>\n";
    foreach ($db->query('SELECT naam, prijs FROM producten ORDER BY naam') as $p) {
        printf("<li>%s &ndash; &euro; %s</li>\n", htmlspecialchars($p['naam']),
            number_format((float) $p['prijs'], 2, ',', '.'));
    }
    echo "</ul>\n";
} catch (PDOException $e) {
    http_response_code(503);
    echo "<p>Het assortiment is even niet beschikbaar.</p>\n";
    error_log('winkel: ' . $e->getMessage());
}
?>
</body>
</html>
