using System.Globalization;

namespace RdsDouble;

/// <summary>Metadata of one cluster parameter in one family, as DescribeEngineDefaultClusterParameters reports it.</summary>
public sealed class ParameterDefinition
{
    public string Name { get; init; } = "";
    public string? DefaultValue { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Source when no user value is set: "system" when RDS sets a value, "engine-default" otherwise.</summary>
    public string DefaultSource { get; init; } = "engine-default";
    public string ApplyType { get; init; } = "dynamic";
    public string DataType { get; init; } = "string";
    public string? AllowedValues { get; init; }
    public bool IsModifiable { get; init; } = true;
    public string? MinimumEngineVersion { get; init; }
    public IReadOnlyList<string> SupportedEngineModes { get; init; } = new[] { "provisioned" };
    /// <summary>Extra spellings accepted on write but not listed in AllowedValues (compared case-insensitively).</summary>
    public IReadOnlyList<string> AcceptedAliases { get; init; } = Array.Empty<string>();

    public bool IsStatic => ApplyType == "static";

    /// <summary>Null when the value is acceptable, else the reason.</summary>
    public string? Validate(string value)
    {
        foreach (string alias in AcceptedAliases)
        {
            if (string.Equals(alias, value.Trim(), StringComparison.OrdinalIgnoreCase)) return null;
        }
        if (string.IsNullOrEmpty(AllowedValues)) return null;
        if (DataType == "list")
        {
            string[] parts = value.Split(',');
            foreach (string part in parts)
            {
                if (!MatchesAllowed(part.Trim())) return $"Value: {part.Trim()} is outside of range: {AllowedValues} for parameter: {Name}";
            }
            return null;
        }
        return MatchesAllowed(value.Trim()) ? null : $"Value: {value} is outside of range: {AllowedValues} for parameter: {Name}";
    }

    private bool MatchesAllowed(string v)
    {
        if (v.Length == 0) return false;
        foreach (string option in AllowedValues!.Split(','))
        {
            string o = option.Trim();
            int dash = o.IndexOf('-', 1);
            if ((DataType == "integer") && dash > 0
                && decimal.TryParse(o.AsSpan(0, dash), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal lo)
                && decimal.TryParse(o.AsSpan(dash + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal hi))
            {
                if (decimal.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal n) && n >= lo && n <= hi) return true;
                continue;
            }
            if (string.Equals(o, v, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}

/// <summary>Cluster parameter metadata per parameter group family.</summary>
public static class ParameterCatalog
{
    /// <summary>The cipher list of the Aurora MySQL security documentation, in its order.</summary>
    public static readonly string SslCiphers =
        "DHE-RSA-AES128-SHA,DHE-RSA-AES128-SHA256,DHE-RSA-AES128-GCM-SHA256,DHE-RSA-AES256-SHA,DHE-RSA-AES256-SHA256,DHE-RSA-AES256-GCM-SHA384," +
        "ECDHE-RSA-AES128-SHA,ECDHE-RSA-AES128-SHA256,ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-SHA,ECDHE-RSA-AES256-SHA384,ECDHE-RSA-AES256-GCM-SHA384";

    // Lazy: the tables below are static fields initialised after this one.
    private static readonly Lazy<Dictionary<string, IReadOnlyList<ParameterDefinition>>> LazyFamilies = new(Build);

    private static Dictionary<string, IReadOnlyList<ParameterDefinition>> Families => LazyFamilies.Value;

    public static IEnumerable<string> KnownFamilies => Families.Keys;

    public static bool IsKnownFamily(string family) => Families.ContainsKey(family);

    /// <summary>Parameters of a family sorted by name (the order RDS pages them in), or null for an unknown family.</summary>
    public static IReadOnlyList<ParameterDefinition>? For(string family) =>
        Families.TryGetValue(family, out IReadOnlyList<ParameterDefinition>? list) ? list : null;

    public static ParameterDefinition? Find(string family, string name)
    {
        IReadOnlyList<ParameterDefinition>? list = For(family);
        return list?.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
    }

    /// <summary>The parameter group family of a cluster engine and version.</summary>
    public static string FamilyOf(string engine, string engineVersion)
    {
        string major = engineVersion.Split('.')[0];
        return engine switch
        {
            "aurora-mysql" => engineVersion.StartsWith("8.0", StringComparison.Ordinal) ? "aurora-mysql8.0" : "aurora-mysql5.7",
            "aurora" => "aurora5.6",
            "aurora-postgresql" => "aurora-postgresql" + major,
            "neptune" => "neptune1.3",
            "docdb" => "docdb5.0",
            _ => engine + major,
        };
    }

    // Table columns: name | apply type (s/d) | data type (s,i,b,l) | allowed values | default value | families (* both, 5 = 5.7, 8 = 8.0) | flags (n = not modifiable) | description
    private const string MySqlTable = """
aurora_binlog_read_buffer_size|d|i|8192-536870912|5242880|5||Size of the buffer used by the binlog dump thread when reading binlog files.
aurora_binlog_replication_max_yield_seconds|d|i|0-36000|0|*||Binlog replication maximum yield seconds.
aurora_binlog_replication_sec_index_parallel_workers|d|i|0-32||8||Number of parallel threads to apply secondary index changes on replicas.
aurora_binlog_use_large_read_buffer|d|b|0,1|1|5||Use the large binlog read buffer.
aurora_disable_hash_join|d|b|0,1||5||Disables hash join in Aurora MySQL version 2.
aurora_enable_repl_bin_log_filtering|d|b|0,1|1|*||Enables binlog filtering on Aurora replicas.
aurora_enable_replica_log_compression|d|b|0,1|1|*||Enables compression of replication log records sent to replicas.
aurora_enable_staggered_replica_restart|d|b|0,1||*||Restart replicas one at a time.
aurora_enable_zdr|d|b|0,1|1|*||Enables zero-downtime restart.
aurora_fwd_master_idle_timeout|d|i|1-3600||5||Idle timeout of forwarded sessions on the writer (global write forwarding).
aurora_fwd_writer_idle_timeout|d|i|1-3600||8||Idle timeout of forwarded sessions on the writer.
aurora_jemalloc_background_thread|s|b|0,1|1|8||Enables the jemalloc background thread.
aurora_jemalloc_dirty_decay_ms|s|i|0-60000|10000|8||Dirty page decay time of jemalloc in milliseconds.
aurora_jemalloc_tcache_enabled|s|b|0,1|1|8||Enables the jemalloc thread cache.
aurora_load_from_s3_role|d|s|||*||IAM role ARN used for LOAD DATA FROM S3.
aurora_lab_mode|d|b|0,1|0|5||Enables Aurora lab mode features.
aurora_parallel_query|d|b|0,1||*||Enables parallel query.
aurora_read_replica_read_committed|d|b|0,1||*||Enables READ COMMITTED isolation level on Aurora replicas.
aurora_select_into_s3_role|d|s|||*||IAM role ARN used for SELECT INTO OUTFILE S3.
aurora_use_vector_instructions|d|b|0,1|1|8||Use SIMD vector instructions where available.
auto_increment_increment|d|i|1-65535||*||Intended for use with master-to-master replication, and can be used to control the operation of AUTO_INCREMENT columns.
auto_increment_offset|d|i|1-65535||*||Determines the starting point for the AUTO_INCREMENT column value.
aws_default_lambda_role|d|s|||*||Default IAM role for invoking Lambda functions.
aws_default_logs_role|d|s|||*||Default IAM role for CloudWatch Logs.
aws_default_s3_role|d|s|||*||Default IAM role for Amazon S3 access.
binlog_backup|s|b|0,1|1|*|n|Keeps binary log backups.
binlog_checksum|d|s|NONE,CRC32||*||Include checksum for log events in the binary log.
binlog_error_action|d|s|IGNORE_ERROR,ABORT_SERVER||*||Controls what happens when the server cannot write to the binary log.
binlog_format|s|s|ROW,STATEMENT,MIXED,OFF|OFF|*||Binary logging format for replication.
binlog_group_commit_sync_delay|d|i|0-1000000||*||Microseconds to wait before synchronizing the binary log to disk.
binlog_group_commit_sync_no_delay_count|d|i|0-1000000||*||Maximum number of transactions to wait for before aborting the sync delay.
binlog_max_flush_queue_time|d|i|0-100000||5||How long to read transactions before flushing to the binary log.
binlog_order_commits|d|b|0,1||*||Commit transactions in the order they are written to the binary log.
binlog_row_image|d|s|full,minimal,noblob||*||Whether row images are logged in full or minimal form.
binlog_row_metadata|d|s|FULL,MINIMAL||8||Amount of table metadata added to the binary log when using row-based logging.
binlog_row_value_options|d|s|PARTIAL_JSON||8||Enables binary logging of partial JSON updates.
binlog_rows_query_log_events|d|b|0,1||*||Writes informational log events such as row query log events.
binlog_transaction_compression|d|b|0,1||8||Enables compression for transactions written to binary log files.
binlog_transaction_compression_level_zstd|d|i|1-22||8||Compression level for binary log transaction compression.
binlog_transaction_dependency_history_size|d|i|1-1000000||8||Upper limit on the number of row hashes kept in memory.
binlog_transaction_dependency_tracking|d|s|COMMIT_ORDER,WRITESET,WRITESET_SESSION||8||Source of dependency information written to the binary log.
binlogging_impossible_mode|d|s|IGNORE_ERROR,ABORT_SERVER||5||Deprecated alias of binlog_error_action.
character-set-client-handshake|s|b|0,1||*||Do not ignore character set information sent by the client.
character_set_client|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The character set for statements that arrive from the client.
character_set_connection|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The character set used for literals that do not have a character set introducer.
character_set_database|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The character set used by the default database.
character_set_filesystem|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The file system character set.
character_set_results|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The character set used for returning query results to the client.
character_set_server|d|s|big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms||*||The server's default character set.
collation_connection|d|s|||*||The collation of the connection character set.
collation_server|d|s|||*||The server's default collation.
completion_type|d|s|NO_CHAIN,CHAIN,RELEASE,0,1,2||*||The transaction completion type.
default_storage_engine|d|s|InnoDB|InnoDB|*|n|The default storage engine.
default_tmp_storage_engine|d|s|InnoDB,MEMORY|InnoDB|*||The default storage engine for TEMPORARY tables.
enforce_gtid_consistency|s|s|OFF,ON,WARN||*||Prevents execution of statements that cannot be logged in a transactionally safe manner.
gtid-mode|s|s|OFF,OFF_PERMISSIVE,ON_PERMISSIVE,ON||*||Controls whether GTID based logging is enabled.
innodb_adaptive_hash_index|d|b|0,1||*||Whether the InnoDB adaptive hash index is enabled.
innodb_aurora_instant_alter_column_allowed|d|i|0-2|1|8||Whether instant ALTER TABLE ADD COLUMN is allowed.
innodb_autoinc_lock_mode|s|i|0-2|2|*||The locking mode to use for generating auto-increment values.
innodb_checksums|s|b|0,1||5||Enables InnoDB page checksums.
innodb_cmp_per_index_enabled|d|b|0,1||*||Enables per-index compression-related statistics.
innodb_commit_concurrency|d|i|0-1000||*||Number of threads that can commit at the same time.
innodb_data_home_dir|s|s||/rdsdbdata/db/innodb|*|n|The common part of the directory path for InnoDB system tablespace data files.
innodb_deadlock_detect|d|b|0,1||8||Enables deadlock detection.
innodb_file_per_table|d|b|0,1|1|*|n|Use tablespaces or files for InnoDB.
innodb_flush_log_at_trx_commit|d|s|0,1,2|1|*|n|Determines InnoDB transaction durability.
innodb_ft_max_token_size|s|i|10-84||*||Maximum length of words stored in an InnoDB FULLTEXT index.
innodb_ft_min_token_size|s|i|0-16||*||Minimum length of words stored in an InnoDB FULLTEXT index.
innodb_ft_num_word_optimize|d|i|0-10000||*||Number of words to process during each OPTIMIZE TABLE operation on an InnoDB FULLTEXT index.
innodb_ft_sort_pll_degree|s|i|1-16||*||Number of threads used in parallel to index and tokenize text in an InnoDB FULLTEXT index.
innodb_large_prefix|d|b|0,1||5||Enables longer keys for column prefix indexes.
innodb_lock_wait_timeout|d|i|1-1073741824||*||Timeout in seconds an InnoDB transaction may wait for a row lock before giving up.
innodb_monitor_disable|d|s|||*||Turns off one or more counters in the INFORMATION_SCHEMA.INNODB_METRICS table.
innodb_monitor_enable|d|s|||*||Turns on one or more counters in the INFORMATION_SCHEMA.INNODB_METRICS table.
innodb_monitor_reset|d|s|||*||Resets to zero the count value for one or more counters.
innodb_monitor_reset_all|d|s|||*||Resets all values for one or more counters.
innodb_online_alter_log_max_size|d|i|65536-9223372036854775807||*||Upper limit on the size of the temporary log files used during online DDL operations.
innodb_optimize_fulltext_only|d|b|0,1||*||Changes the way OPTIMIZE TABLE operates on InnoDB tables.
innodb_page_size|s|s|4k,8k,16k,32k,64k||*|n|The page size for all InnoDB tablespaces.
innodb_print_all_deadlocks|d|b|0,1||*||Prints all InnoDB deadlocks to the error log.
innodb_purge_batch_size|d|i|1-5000|900|*||Number of undo log pages purged in one batch.
innodb_purge_threads|s|i|1-32|3|*||Number of background threads devoted to the InnoDB purge operation.
innodb_rollback_on_timeout|s|b|0,1||*||Rolls back the whole transaction on a lock wait timeout.
innodb_rollback_segments|d|i|1-128||*||Number of rollback segments used by InnoDB.
innodb_spin_wait_delay|d|i|0-1000000||*||Maximum delay between polls for a spin lock.
innodb_stats_include_delete_marked|d|b|0,1||8||Include delete-marked records when calculating persistent statistics.
innodb_stats_method|d|s|nulls_equal,nulls_unequal,nulls_ignored||*||How the server treats NULL values when collecting index statistics.
innodb_stats_on_metadata|d|b|0,1||*||Updates statistics when metadata statements are run.
innodb_stats_persistent|d|b|0,1||*||Whether InnoDB index statistics are persisted to disk.
innodb_stats_persistent_sample_pages|d|i|1-18446744073709551615||*||Number of index pages to sample for persistent statistics.
innodb_stats_transient_sample_pages|d|i|1-18446744073709551615||*||Number of index pages to sample for transient statistics.
innodb_strict_mode|d|b|0,1||*||Whether InnoDB returns errors rather than warnings for exceptional conditions.
innodb_support_xa|d|b|0,1|1|5||Enables InnoDB support for two-phase commit in XA transactions.
innodb_sync_array_size|s|i|1-1024||*||Splits an internal data structure used to coordinate threads.
innodb_sync_spin_loops|d|i|0-4294967295||*||Number of times a thread waits for an InnoDB mutex to be freed before the thread is suspended.
innodb_table_locks|d|b|0,1||*||Whether InnoDB honours LOCK TABLES.
innodb_undo_directory|s|s||.|*|n|The relative or absolute directory path where InnoDB creates separate tablespaces for the undo logs.
innodb_undo_logs|d|i|0-128||5||Number of undo logs (rollback segments) used by InnoDB.
innodb_undo_tablespaces|s|i|0-126||5|n|Number of tablespace files that the undo logs are divided between.
internal_tmp_disk_storage_engine|d|s|MYISAM,INNODB||5||Storage engine for on-disk internal temporary tables.
lc_time_names|d|s|||*||The locale that determines the language used to display day and month names.
lower_case_table_names|s|i|0,1||*||Whether table names are stored in lowercase on disk.
master-info-repository|s|s|TABLE,FILE|TABLE|5|n|Whether the replica records source status and connection information to a FILE or TABLE.
master_verify_checksum|d|b|0,1||5||Whether the source examines checksums when reading from the binary log.
mysql_native_password_proxy_users|d|b|0,1||8||Whether the mysql_native_password plugin supports proxy users.
performance_schema_accounts_size|s|i|-1-1048576||8||Number of rows in the performance_schema.accounts table.
performance_schema_hosts_size|s|i|-1-1048576||8||Number of rows in the performance_schema.hosts table.
performance_schema_users_size|s|i|-1-1048576||8||Number of rows in the performance_schema.users table.
relay-log-space-limit|s|i|0-18446744073709551615||*||Maximum amount of space to use for all relay logs.
relay_log_recovery|s|b|0,1|1|*|n|Enables automatic relay log recovery right after the database server starts up.
replica_parallel_type|d|s|DATABASE,LOGICAL_CLOCK||8||Policy used to decide which transactions are allowed to run in parallel on the replica.
replica_parallel_workers|d|i|0-1024||8||Number of applier threads for executing replication transactions in parallel.
replica_preserve_commit_order|d|b|0,1||8||Ensures that transactions on the replica commit in the same order as on the source.
replica_type_conversions|d|s|ALL_LOSSY,ALL_NON_LOSSY,ALL_SIGNED,ALL_UNSIGNED||8||Conversion mode used on a replica when using row-based replication.
require_secure_transport|d|b|0,1||*||Whether client connections to the server are required to use some form of secure transport.
server_audit_events|d|l|CONNECT,QUERY,QUERY_DCL,QUERY_DDL,QUERY_DML,QUERY_DML_NO_SELECT,TABLE||*||Which events are recorded by the advanced audit log.
server_audit_excl_users|d|s|||*||Users whose activity is not logged by the advanced audit log.
server_audit_incl_users|d|s|||*||Users whose activity is logged by the advanced audit log.
server_audit_logging|d|b|0,1||*||Enables the advanced audit log.
server_audit_logs_upload|d|b|0,1||*||Uploads the advanced audit log to CloudWatch Logs.
server_audit_read_buffer_size|s|i|8192-2147483647||5||Read buffer size of the advanced audit log.
server_id|s|i|1-4294967295||*|n|The server ID, used in replication to give each source and replica a unique identity.
skip-character-set-client-handshake|s|b|0,1||*||Ignore client side character set value sent during handshake.
skip_name_resolve|s|b|0,1|1|*|n|Do not resolve host names when checking client connections.
slave-type-conversions|d|s|ALL_LOSSY,ALL_NON_LOSSY,ALL_SIGNED,ALL_UNSIGNED||5||Conversion mode used on a replica when using row-based replication.
slave_parallel_type|d|s|DATABASE,LOGICAL_CLOCK||5||Policy used to decide which transactions are allowed to run in parallel on the replica.
slave_parallel_workers|d|i|0-1024||5||Number of applier threads for executing replication transactions in parallel.
slave_preserve_commit_order|d|b|0,1||5||Ensures that transactions on the replica commit in the same order as on the source.
ssl_cipher|s|l|$CIPHERS|$CIPHERS|*||The list of permissible ciphers for connection encryption.
sync_frm|d|b|0,1|1|5|n|If set to true, the frm file is synchronized to disk.
time_zone|d|s|Africa/Cairo,Africa/Casablanca,Africa/Harare,Africa/Monrovia,Africa/Nairobi,Africa/Tripoli,Africa/Windhoek,America/Araguaina,America/Asuncion,America/Bogota,America/Buenos_Aires,America/Caracas,America/Chihuahua,America/Cuiaba,America/Denver,America/Fortaleza,America/Guatemala,America/Halifax,America/Manaus,America/Matamoros,America/Monterrey,America/Montevideo,America/Phoenix,America/Santiago,America/Tijuana,Asia/Amman,Asia/Ashgabat,Asia/Baghdad,Asia/Baku,Asia/Bangkok,Asia/Beirut,Asia/Calcutta,Asia/Damascus,Asia/Dhaka,Asia/Irkutsk,Asia/Jerusalem,Asia/Kabul,Asia/Karachi,Asia/Kathmandu,Asia/Krasnoyarsk,Asia/Magadan,Asia/Muscat,Asia/Novosibirsk,Asia/Riyadh,Asia/Seoul,Asia/Shanghai,Asia/Singapore,Asia/Taipei,Asia/Tehran,Asia/Tokyo,Asia/Ulaanbaatar,Asia/Vladivostok,Asia/Yakutsk,Asia/Yerevan,Atlantic/Azores,Australia/Adelaide,Australia/Brisbane,Australia/Darwin,Australia/Hobart,Australia/Perth,Australia/Sydney,Brazil/East,Canada/Newfoundland,Canada/Saskatchewan,Europe/Amsterdam,Europe/Athens,Europe/Dublin,Europe/Helsinki,Europe/Istanbul,Europe/Kaliningrad,Europe/Moscow,Europe/Paris,Europe/Prague,Europe/Sarajevo,Pacific/Auckland,Pacific/Fiji,Pacific/Guam,Pacific/Honolulu,Pacific/Samoa,US/Alaska,US/Central,US/Eastern,US/East-Indiana,US/Pacific,UTC||*||The server's time zone.
tls_version|s|l|TLSv1,TLSv1.1,TLSv1.2||5||Which versions of TLS are allowed.
tx_isolation|d|s|READ-UNCOMMITTED,READ-COMMITTED,REPEATABLE-READ,SERIALIZABLE||5||Sets the default transaction isolation level.
transaction_isolation|d|s|READ-UNCOMMITTED,READ-COMMITTED,REPEATABLE-READ,SERIALIZABLE||8||Sets the default transaction isolation level.
""";

    // Server-variable style parameters that real families carry in bulk; listed compactly (dynamic, engine-default).
    private static readonly (string Name, string Type, string Allowed, string Families, string Description)[] Bulk =
    {
        ("aurora_oom_response", "s", "", "*", "Actions taken when an instance runs low on memory."),
        ("aurora_pq_force", "b", "0,1", "5", "Forces parallel query when possible."),
        ("aurora_tmptable_enable_per_table_limit", "b", "0,1", "8", "Applies tmp_table_size per internal temporary table."),
        ("aurora_in_memory_relaylog", "b", "0,1", "8", "Keeps the relay log in memory."),
        ("binlog_cache_size", "i", "4096-18446744073709547520", "*", "Size of the cache to hold the SQL statements for the binary log during a transaction."),
        ("binlog_stmt_cache_size", "i", "4096-18446744073709547520", "*", "Size of the statement cache for updates to non-transactional engines for the binary log."),
        ("connect_timeout", "i", "2-31536000", "*", "Number of seconds the server waits for a connect packet before responding with Bad handshake."),
        ("div_precision_increment", "i", "0-30", "*", "Number of digits by which to increase the scale of the result of division operations."),
        ("explicit_defaults_for_timestamp", "b", "0,1", "*", "Controls default value handling of TIMESTAMP columns."),
        ("ft_boolean_syntax", "s", "", "*", "List of operators supported by boolean full-text searches."),
        ("group_concat_max_len", "i", "4-18446744073709551615", "*", "Maximum allowed result length of the GROUP_CONCAT function."),
        ("init_connect", "s", "", "*", "A string to be executed by the server for each client that connects."),
        ("innodb_adaptive_max_sleep_delay", "i", "0-1000000", "*", "Adjusts the value of innodb_thread_sleep_delay up or down automatically."),
        ("innodb_autoextend_increment", "i", "1-1000", "*", "Increment size for extending the size of an autoextending tablespace."),
        ("innodb_concurrency_tickets", "i", "1-4294967295", "*", "Number of threads that can enter InnoDB concurrently."),
        ("innodb_fill_factor", "i", "10-100", "*", "Percentage of space on each B-tree page that is filled during a sorted index build."),
        ("innodb_ft_enable_stopword", "b", "0,1", "*", "Use a set of stopwords associated with an InnoDB FULLTEXT index."),
        ("innodb_ft_result_cache_limit", "i", "1000000-4294967295", "*", "InnoDB FULLTEXT search query result cache limit."),
        ("innodb_max_dirty_pages_pct", "i", "0-99", "*", "Maximum percentage of dirty pages in the buffer pool."),
        ("innodb_old_blocks_pct", "i", "5-95", "*", "Percentage of the buffer pool used for the old block sublist."),
        ("innodb_old_blocks_time", "i", "0-4294967295", "*", "Milliseconds a block inserted into the old sublist must stay there after its first access."),
        ("innodb_random_read_ahead", "b", "0,1", "*", "Enables the random read-ahead technique."),
        ("innodb_read_ahead_threshold", "i", "0-64", "*", "Sensitivity of linear read-ahead."),
        ("innodb_sort_buffer_size", "i", "65536-67108864", "*", "Size of sort buffers used for sorting data during creation of an InnoDB index."),
        ("innodb_thread_concurrency", "i", "0-1000", "*", "Maximum number of threads permitted inside InnoDB."),
        ("innodb_thread_sleep_delay", "i", "0-1000000", "*", "How long InnoDB threads sleep before joining the InnoDB queue."),
        ("interactive_timeout", "i", "1-31536000", "*", "Seconds the server waits for activity on an interactive connection before closing it."),
        ("join_buffer_size", "i", "128-18446744073709547520", "*", "Minimum size of the buffer used for joins without indexes."),
        ("key_buffer_size", "i", "8-9223372036854775807", "*", "Size of the buffer used for index blocks of MyISAM tables."),
        ("local_infile", "b", "0,1", "*", "Controls LOCAL capability for LOAD DATA statements."),
        ("lock_wait_timeout", "i", "1-31536000", "*", "Timeout in seconds for attempts to acquire metadata locks."),
        ("log_bin_trust_function_creators", "b", "0,1", "*", "Enforces restrictions on stored functions and triggers when binary logging is on."),
        ("log_error_verbosity", "i", "1-3", "8", "Verbosity of the server in writing error messages to the error log."),
        ("log_output", "s", "TABLE,FILE,NONE", "*", "Controls where to store query logs."),
        ("log_queries_not_using_indexes", "b", "0,1", "*", "Logs queries that are expected to retrieve all rows to the slow query log."),
        ("log_throttle_queries_not_using_indexes", "i", "0-4294967295", "*", "Limits the number of queries not using indexes written per minute."),
        ("long_query_time", "i", "0-31536000", "*", "Queries taking longer than this many seconds are logged as slow."),
        ("low_priority_updates", "b", "0,1", "*", "INSERT, DELETE and UPDATE statements have lower priority than SELECT statements."),
        ("max_allowed_packet", "i", "1024-1073741824", "*", "Maximum size of one packet or any generated intermediate string."),
        ("max_binlog_cache_size", "i", "4096-18446744073709547520", "*", "Maximum amount of memory a transaction can use in the binlog cache."),
        ("max_connect_errors", "i", "1-18446744073709551615", "*", "Successive interrupted connection requests after which a host is blocked."),
        ("max_error_count", "i", "0-65535", "*", "Maximum number of error, warning and note messages to be stored for display."),
        ("max_execution_time", "i", "0-18446744073709551615", "*", "Execution timeout for SELECT statements in milliseconds."),
        ("max_heap_table_size", "i", "16384-18446744073709547520", "*", "Maximum size to which MEMORY tables are allowed to grow."),
        ("max_join_size", "i", "1-18446744073709551615", "*", "Do not execute SELECT statements that probably need to examine more than this many rows."),
        ("max_length_for_sort_data", "i", "4-8388608", "*", "Cutoff on the size of index values that determines which filesort algorithm to use."),
        ("max_prepared_stmt_count", "i", "0-1048576", "*", "Limits the total number of prepared statements in the server."),
        ("max_sort_length", "i", "4-8388608", "*", "Number of bytes to use when sorting BLOB or TEXT values."),
        ("max_sp_recursion_depth", "i", "0-255", "*", "Number of times any given stored procedure may be called recursively."),
        ("max_user_connections", "i", "0-4294967295", "*", "Maximum number of simultaneous connections permitted to any given account."),
        ("min_examined_row_limit", "i", "0-18446744073709551615", "*", "Queries examining fewer rows than this are not logged to the slow query log."),
        ("net_buffer_length", "i", "1024-1048576", "*", "Initial size of the connection and result buffers."),
        ("net_read_timeout", "i", "1-31536000", "*", "Seconds to wait for more data from a connection before aborting the read."),
        ("net_retry_count", "i", "1-18446744073709551615", "*", "Times to retry a read or write on a communication port before giving up."),
        ("net_write_timeout", "i", "1-31536000", "*", "Seconds to wait for a block to be written to a connection before aborting the write."),
        ("old_passwords", "i", "0-2", "5", "Controls the password hashing method used by the PASSWORD() function."),
        ("optimizer_prune_level", "b", "0,1", "*", "Controls the heuristics applied during query optimization to prune less-promising partial plans."),
        ("optimizer_search_depth", "i", "0-62", "*", "Maximum depth of search performed by the query optimizer."),
        ("optimizer_switch", "s", "", "*", "Controls optimizer behavior."),
        ("optimizer_trace_max_mem_size", "i", "0-18446744073709551615", "*", "Maximum size of the stored optimizer trace."),
        ("query_alloc_block_size", "i", "1024-18446744073709547520", "*", "Allocation size of memory blocks allocated for objects created during statement parsing and execution."),
        ("query_cache_limit", "i", "0-18446744073709551615", "5", "Do not cache results that are larger than this number of bytes."),
        ("query_cache_type", "s", "0,1,2", "5", "Query cache type."),
        ("query_prealloc_size", "i", "8192-18446744073709547520", "*", "Size of the persistent buffer used for statement parsing and execution."),
        ("range_alloc_block_size", "i", "4096-18446744073709547520", "*", "Size of blocks allocated when doing range optimization."),
        ("read_buffer_size", "i", "8200-2147479552", "*", "Size of the buffer allocated by each thread doing a sequential scan."),
        ("read_rnd_buffer_size", "i", "1-2147483647", "*", "Size of the buffer used when reading rows in sorted order after a key-sorting operation."),
        ("slow_launch_time", "i", "0-31536000", "*", "Threads taking longer than this many seconds to create increment Slow_launch_threads."),
        ("slow_query_log", "b", "0,1", "*", "Enables the slow query log."),
        ("general_log", "b", "0,1", "*", "Enables the general query log."),
        ("sort_buffer_size", "i", "32768-18446744073709551615", "*", "Each session that must perform a sort allocates a buffer of this size."),
        ("sql_mode", "l", "ALLOW_INVALID_DATES,ANSI_QUOTES,ERROR_FOR_DIVISION_BY_ZERO,HIGH_NOT_PRECEDENCE,IGNORE_SPACE,NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,NO_UNSIGNED_SUBTRACTION,NO_ZERO_DATE,NO_ZERO_IN_DATE,ONLY_FULL_GROUP_BY,PAD_CHAR_TO_FULL_LENGTH,PIPES_AS_CONCAT,REAL_AS_FLOAT,STRICT_ALL_TABLES,STRICT_TRANS_TABLES,TIME_TRUNCATE_FRACTIONAL", "*", "Current SQL server mode."),
        ("sql_select_limit", "i", "0-18446744073709551615", "*", "Maximum number of rows to return from SELECT statements."),
        ("stored_program_cache", "i", "16-524288", "*", "Soft upper limit for the number of cached stored routines per connection."),
        ("table_definition_cache", "i", "400-524288", "*", "Number of table definitions that can be stored in the definition cache."),
        ("table_open_cache", "i", "1-524288", "*", "Number of open tables for all threads."),
        ("thread_cache_size", "i", "0-16384", "*", "How many threads the server should cache for reuse."),
        ("thread_stack", "i", "131072-18446744073709551615", "*", "Stack size for each thread."),
        ("tmp_table_size", "i", "1024-18446744073709551615", "*", "Maximum size of internal in-memory temporary tables."),
        ("transaction_alloc_block_size", "i", "1024-131072", "*", "Amount by which to increase a per-transaction memory pool which needs memory."),
        ("transaction_prealloc_size", "i", "1024-131072", "*", "Persistent buffer for transactions to be stored in binary log."),
        ("updatable_views_with_limit", "b", "0,1", "*", "Whether updates to a view can be made when the view does not contain all columns of the primary key."),
        ("wait_timeout", "i", "1-31536000", "*", "Seconds the server waits for activity on a non-interactive connection before closing it."),
        ("windowing_use_high_precision", "b", "0,1", "8", "Whether to compute window operations without loss of precision."),
    };

    private static Dictionary<string, IReadOnlyList<ParameterDefinition>> Build()
    {
        var mysql57 = new List<ParameterDefinition>();
        var mysql80 = new List<ParameterDefinition>();
        foreach (string rawLine in MySqlTable.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0) continue;
            string[] c = line.Split('|');
            if (c.Length != 8) throw new InvalidOperationException("Bad catalogue line: " + line);
            string allowed = c[3].Replace("$CIPHERS", SslCiphers, StringComparison.Ordinal);
            string defaultValue = c[4].Replace("$CIPHERS", SslCiphers, StringComparison.Ordinal);
            ParameterDefinition Make(string family) => new()
            {
                Name = c[0],
                ApplyType = c[1] == "s" ? "static" : "dynamic",
                DataType = DataTypeOf(c[2]),
                AllowedValues = allowed.Length == 0 ? null : allowed,
                DefaultValue = defaultValue.Length == 0 ? null : defaultValue,
                DefaultSource = defaultValue.Length == 0 ? "engine-default" : "system",
                IsModifiable = !c[6].Contains('n', StringComparison.Ordinal),
                Description = c[7],
                // require_secure_transport: RDS reports the boolean as AllowedValues "0,1" but the cluster
                // parameter also takes ON/OFF (the MySQL spelling), so those are accepted on write as well.
                AcceptedAliases = c[0] == "require_secure_transport" ? new[] { "ON", "OFF" } : Array.Empty<string>(),
                MinimumEngineVersion = c[0] == "ssl_cipher" && family == "aurora-mysql5.7" ? "2.09.3" : null,
            };
            if (c[5] is "*" or "5") mysql57.Add(Make("aurora-mysql5.7"));
            if (c[5] is "*" or "8") mysql80.Add(Make("aurora-mysql8.0"));
        }
        foreach (var b in Bulk)
        {
            ParameterDefinition Make() => new()
            {
                Name = b.Name,
                ApplyType = "dynamic",
                DataType = DataTypeOf(b.Type),
                AllowedValues = b.Allowed.Length == 0 ? null : b.Allowed,
                Description = b.Description,
            };
            if (b.Families is "*" or "5") mysql57.Add(Make());
            if (b.Families is "*" or "8") mysql80.Add(Make());
        }

        var result = new Dictionary<string, IReadOnlyList<ParameterDefinition>>(StringComparer.Ordinal)
        {
            ["aurora-mysql5.7"] = Sorted(mysql57),
            ["aurora-mysql8.0"] = Sorted(mysql80),
            ["aurora-postgresql15"] = Sorted(new List<ParameterDefinition>
            {
                new() { Name = "rds.force_ssl", ApplyType = "dynamic", DataType = "boolean", AllowedValues = "0,1", DefaultValue = "1", DefaultSource = "system", Description = "Force SSL connections." },
                new() { Name = "ssl_min_protocol_version", ApplyType = "dynamic", DataType = "string", AllowedValues = "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3", DefaultValue = "TLSv1.2", DefaultSource = "system", Description = "Sets the minimum SSL/TLS protocol version to use." },
                new() { Name = "timezone", ApplyType = "dynamic", DataType = "string", DefaultValue = "UTC", DefaultSource = "system", Description = "Sets the time zone for displaying and interpreting time stamps." },
            }),
            ["neptune1.3"] = Sorted(new List<ParameterDefinition>
            {
                new() { Name = "neptune_enable_audit_log", ApplyType = "dynamic", DataType = "integer", AllowedValues = "0-1", DefaultValue = "0", DefaultSource = "system", Description = "Enable audit logs for Neptune." },
                new() { Name = "neptune_query_timeout", ApplyType = "dynamic", DataType = "integer", AllowedValues = "10-2147483647", DefaultValue = "120000", DefaultSource = "system", Description = "Graph query timeout (ms)." },
            }),
        };
        return result;
    }

    private static IReadOnlyList<ParameterDefinition> Sorted(List<ParameterDefinition> list)
    {
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i].Name == list[i - 1].Name) throw new InvalidOperationException("Duplicate parameter " + list[i].Name);
        }
        return list;
    }

    private static string DataTypeOf(string code) => code switch
    {
        "i" => "integer",
        "b" => "boolean",
        "l" => "list",
        _ => "string",
    };
}
