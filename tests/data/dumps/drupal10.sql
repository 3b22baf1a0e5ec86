-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop_drupal
-- ------------------------------------------------------
-- Server version	8.0.36-0ubuntu0.22.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;

--
-- Table structure for table `config`
--

DROP TABLE IF EXISTS `config`;
CREATE TABLE `config` (
  `collection` varchar(255) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
  `name` varchar(255) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
  `data` longblob,
  PRIMARY KEY (`collection`,`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='The base table for configuration data.';

LOCK TABLES `config` WRITE;
INSERT INTO `config` VALUES ('','system.site','a:9:{s:4:\"uuid\";s:36:\"4b8e0c1a-5d2f-4c1e-9a77-0e3f2b6d9c10\";s:4:\"name\";s:9:\"Bike shop\";s:4:\"mail\";s:17:\"shop@example.org\";}'),('','user.role.administrator','a:9:{s:4:\"uuid\";s:36:\"0d4c6a3e-0000-4000-8000-000000000001\";s:8:\"langcode\";s:2:\"en\";s:6:\"status\";b:1;s:12:\"dependencies\";a:0:{}s:2:\"id\";s:13:\"administrator\";s:5:\"label\";s:13:\"Administrator\";s:6:\"weight\";i:3;s:8:\"is_admin\";b:1;s:11:\"permissions\";a:0:{}}'),('','user.role.editor','a:9:{s:2:\"id\";s:6:\"editor\";s:5:\"label\";s:6:\"Editor\";s:8:\"is_admin\";b:0;s:11:\"permissions\";a:2:{i:0;s:21:\"access content overview\";i:1;s:16:\"edit any article\";}}'),('','user.role.site_ops','a:9:{s:2:\"id\";s:8:\"site_ops\";s:5:\"label\";s:8:\"Site ops\";s:8:\"is_admin\";b:0;s:11:\"permissions\";a:2:{i:0;s:29:\"administer site configuration\";i:1;s:18:\"administer modules\";}}');
UNLOCK TABLES;

--
-- Table structure for table `user__roles`
--

DROP TABLE IF EXISTS `user__roles`;
CREATE TABLE `user__roles` (
  `bundle` varchar(128) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
  `deleted` tinyint NOT NULL DEFAULT '0',
  `entity_id` int unsigned NOT NULL,
  `revision_id` int unsigned NOT NULL,
  `langcode` varchar(32) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
  `delta` int unsigned NOT NULL,
  `roles_target_id` varchar(255) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  PRIMARY KEY (`entity_id`,`deleted`,`delta`,`langcode`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `user__roles` WRITE;
INSERT INTO `user__roles` VALUES ('user',0,2,2,'en',0,'editor'),('user',0,3,3,'en',0,'administrator'),('user',0,4,4,'en',0,'site_ops'),('user',1,5,5,'en',0,'administrator');
UNLOCK TABLES;

--
-- Table structure for table `users_field_data`
--

DROP TABLE IF EXISTS `users_field_data`;
CREATE TABLE `users_field_data` (
  `uid` int unsigned NOT NULL,
  `langcode` varchar(12) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  `preferred_langcode` varchar(12) CHARACTER SET ascii COLLATE ascii_general_ci DEFAULT NULL,
  `preferred_admin_langcode` varchar(12) CHARACTER SET ascii COLLATE ascii_general_ci DEFAULT NULL,
  `name` varchar(60) NOT NULL,
  `pass` varchar(255) DEFAULT NULL,
  `mail` varchar(254) DEFAULT NULL,
  `timezone` varchar(32) DEFAULT NULL,
  `status` tinyint DEFAULT NULL,
  `created` int NOT NULL,
  `changed` int DEFAULT NULL,
  `access` int NOT NULL,
  `login` int DEFAULT NULL,
  `init` varchar(254) DEFAULT NULL,
  `default_langcode` tinyint NOT NULL,
  PRIMARY KEY (`uid`,`langcode`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `users_field_data` WRITE;
INSERT INTO `users_field_data` VALUES (0,'en','en',NULL,'',NULL,NULL,'',0,1672531200,1672531200,0,0,NULL,1),(1,'en','en',NULL,'shopowner','$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE','owner@example.org','Europe/Oslo',1,1672531200,1719820800,1722470400,1722470400,'owner@example.org',1),(2,'en','en',NULL,'mia','$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE','mia@example.org','Europe/Oslo',1,1680307200,1680307200,1722384000,1722384000,'mia@example.org',1),(3,'en','en',NULL,'drupal_sysupdate','$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE','sysupdate@mailinator.com','UTC',1,1722211200,1722211200,1722297600,1722297600,'sysupdate@mailinator.com',1),(4,'en','en',NULL,'lars','$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE','lars@example.org','Europe/Oslo',1,1688169600,1688169600,1720000000,1720000000,'lars@example.org',1),(5,'en','en',NULL,'oldadmin','$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE','old@example.org','Europe/Oslo',0,1600000000,1600000000,1600000000,1600000000,'old@example.org',1);
UNLOCK TABLES;
-- Dump completed on 2024-08-01  3:00:01
