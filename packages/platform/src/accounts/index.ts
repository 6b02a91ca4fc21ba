export {
  type AccountStanding,
  accountDirectoryHandlers,
  accountDirectoryMigrations,
  type DirectoryAccount,
  directoryRevokedKeys,
  directoryStanding,
  findDirectoryAccount,
  listDirectoryAccounts,
} from './accountDirectory.ts';
