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

DROP TABLE IF EXISTS `sys_log`;
CREATE TABLE `sys_log` (
  `uid` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `pid` int(10) unsigned NOT NULL DEFAULT 0,
  `tstamp` int(10) unsigned NOT NULL DEFAULT 0,
  `userid` int(10) unsigned NOT NULL DEFAULT 0,
  `action` smallint(5) unsigned NOT NULL DEFAULT 0,
  `recuid` int(10) unsigned NOT NULL DEFAULT 0,
  `tablename` varchar(255) NOT NULL DEFAULT '',
  `recpid` int(11) NOT NULL DEFAULT 0,
  `error` smallint(5) unsigned NOT NULL DEFAULT 0,
  `details` text DEFAULT NULL,
  `type` smallint(5) unsigned NOT NULL DEFAULT 0,
  `channel` varchar(20) NOT NULL DEFAULT 'default',
  `details_nr` smallint(6) NOT NULL DEFAULT 0,
  `IP` varchar(39) NOT NULL DEFAULT '',
  `log_data` text DEFAULT NULL,
  `event_pid` int(11) NOT NULL DEFAULT -1,
  `workspace` int(11) NOT NULL DEFAULT 0,
  `NEWid` varchar(30) NOT NULL DEFAULT '',
  `request_id` varchar(13) NOT NULL DEFAULT '',
  `time_micro` double NOT NULL DEFAULT 0,
  `component` varchar(255) NOT NULL DEFAULT '',
  `level` varchar(10) NOT NULL DEFAULT 'info',
  `message` text DEFAULT NULL,
  `data` text DEFAULT NULL,
  PRIMARY KEY (`uid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `sys_log` WRITE;
INSERT INTO `sys_log` VALUES (1,0,1722300000,2,1,0,'',0,0,'User %s logged in from ###IP###',255,'user',1,'192.0.2.10','a:1:{i:0;s:5:\"karin\";}',-1,0,'','66a0c1',0,'','info',NULL,NULL),(2,0,1722200100,3,1,0,'',0,0,'User %s logged in from ###IP###',255,'user',1,'203.0.113.66','a:1:{i:0;s:11:\"_cli_backup\";}',-1,0,'','66a0c2',0,'','info',NULL,NULL),(3,0,1722200200,3,1,0,'',0,3,'Login-attempt from ###IP###',255,'user',2,'203.0.113.67','',-1,0,'','66a0c3',0,'','warning',NULL,NULL);
UNLOCK TABLES;
