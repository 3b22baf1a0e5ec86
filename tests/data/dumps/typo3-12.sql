-- MySQL dump 10.19  Distrib 10.6.18-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: t3_agency
-- ------------------------------------------------------
-- Server version	10.6.18-MariaDB-0ubuntu0.22.04.1

/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `be_groups`;
CREATE TABLE `be_groups` (
  `uid` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `pid` int(10) unsigned NOT NULL DEFAULT 0,
  `tstamp` int(10) unsigned NOT NULL DEFAULT 0,
  `crdate` int(10) unsigned NOT NULL DEFAULT 0,
  `deleted` smallint(5) unsigned NOT NULL DEFAULT 0,
  `hidden` smallint(5) unsigned NOT NULL DEFAULT 0,
  `title` varchar(50) NOT NULL DEFAULT '',
  `tables_modify` longtext DEFAULT NULL,
  `groupMods` longtext DEFAULT NULL,
  PRIMARY KEY (`uid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `be_groups` WRITE;
INSERT INTO `be_groups` VALUES (1,0,1700000000,1700000000,0,0,'Editors','pages,tt_content','web_layout,web_list,file_FilelistList'),(2,0,1700000000,1700000000,0,0,'User managers','be_users','web_list,system_BeuserTxBeuser');
UNLOCK TABLES;

DROP TABLE IF EXISTS `be_users`;
CREATE TABLE `be_users` (
  `uid` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `pid` int(10) unsigned NOT NULL DEFAULT 0,
  `tstamp` int(10) unsigned NOT NULL DEFAULT 0,
  `crdate` int(10) unsigned NOT NULL DEFAULT 0,
  `deleted` smallint(5) unsigned NOT NULL DEFAULT 0,
  `disable` smallint(5) unsigned NOT NULL DEFAULT 0,
  `starttime` int(10) unsigned NOT NULL DEFAULT 0,
  `endtime` int(10) unsigned NOT NULL DEFAULT 0,
  `description` text DEFAULT NULL,
  `username` varchar(50) NOT NULL DEFAULT '',
  `avatar` int(10) unsigned NOT NULL DEFAULT 0,
  `password` varchar(100) NOT NULL DEFAULT '',
  `admin` smallint(5) unsigned NOT NULL DEFAULT 0,
  `usergroup` text DEFAULT NULL,
  `lang` varchar(10) NOT NULL DEFAULT 'default',
  `email` varchar(255) NOT NULL DEFAULT '',
  `realName` varchar(80) NOT NULL DEFAULT '',
  `lastlogin` int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`uid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `be_users` WRITE;
INSERT INTO `be_users` VALUES (1,0,1722470000,1609459200,0,0,0,0,NULL,'agency',0,'$argon2i$v=19$m=65536,t=16,p=1$REDACTED',1,'','default','web@agency.example','Agency',1722470000),(2,0,1700000000,1650000000,0,0,0,0,NULL,'karin',0,'$argon2i$v=19$m=65536,t=16,p=1$REDACTED',0,'1','de','karin@agency.example','Karin',1722300000),(3,0,1722200000,1722200000,0,0,0,0,NULL,'_cli_backup',0,'$argon2i$v=19$m=65536,t=16,p=1$REDACTED',1,'','default','','',1722200100),(4,0,1700000000,1650000000,0,0,0,0,NULL,'tom',0,'$argon2i$v=19$m=65536,t=16,p=1$REDACTED',0,'1,2','default','tom@agency.example','Tom',1722000000),(5,0,1600000000,1500000000,1,0,0,0,NULL,'deletedadmin',0,'x',1,'','default','gone@agency.example','',0),(6,0,1600000000,1500000000,0,1,0,0,NULL,'disabledadmin',0,'x',1,'','default','off@agency.example','',0);
UNLOCK TABLES;
-- Dump completed on 2024-08-01  3:10:00
