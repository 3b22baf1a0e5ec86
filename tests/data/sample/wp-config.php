<?php
/* Site Triage test sample — made-up credentials, not valid anywhere. */
define( 'DB_NAME', 'jane_wp' );
define( 'DB_USER', 'jane_wpuser' );
define( 'DB_PASSWORD', 'sample-Not-A-Real-Pass-7x' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'AUTH_KEY',         'sample-auth-key-0000000000000000000000000000000000000000' );
define( 'SECURE_AUTH_KEY',  'sample-secure-auth-key-00000000000000000000000000000000000' );
define( 'LOGGED_IN_KEY',    'sample-logged-in-key-000000000000000000000000000000000000' );
define( 'NONCE_KEY',        'sample-nonce-key-0000000000000000000000000000000000000000' );
define( 'AUTH_SALT',        'sample-auth-salt-0000000000000000000000000000000000000000' );
define( 'SECURE_AUTH_SALT', 'sample-secure-auth-salt-000000000000000000000000000000000' );
define( 'LOGGED_IN_SALT',   'sample-logged-in-salt-00000000000000000000000000000000000' );
define( 'NONCE_SALT',       'sample-nonce-salt-000000000000000000000000000000000000000' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
require_once ABSPATH . 'wp-settings.php';
