export {
  type AccountStanding,
  accountDirectoryHandlers,
  accountDirectoryMigrations,
  type DirectoryAccount,
  directoryRevokedKeys,
  directoryStanding,
  findDirectoryAccount,
  judgeByDirectory,
  listDirectoryAccounts,
} from './accountDirectory.ts';
