namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>What rds_kill ends: the whole connection (mysql.rds_kill) or its running statement (mysql.rds_kill_query).</summary>
    public enum KillAction
    {
        /// <summary>CALL mysql.rds_kill(id): the connection ends.</summary>
        Connection,

        /// <summary>CALL mysql.rds_kill_query(id): the statement ends, the connection stays.</summary>
        Query,
    }
}
