// Command simd is the Cosmos SDK node the end-to-end benchmark measures our
// chain against: ibc-go's test simapp (bank, staking, IBC, ...) behind the
// SDK's standard server, genesis and key commands. Only what our launchers call
// is wired in: init, genesis, keys, start and comet, and `tx ibc-transfer`, the
// ICS-20 send that `parazone localnet --peer simd` tells its user to run.
package main

import (
	"io"
	"os"

	"cosmossdk.io/log"
	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/server"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"
	transfercli "github.com/cosmos/ibc-go/v10/modules/apps/transfer/client/cli"
	"github.com/cosmos/ibc-go/v10/testing/simapp"
	"github.com/spf13/cobra"
)

func newApp(logger log.Logger, db dbm.DB, trace io.Writer, opts servertypes.AppOptions) servertypes.Application {
	return simapp.NewSimApp(logger, db, trace, true, opts, server.DefaultBaseappOptions(opts)...)
}

func main() {
	// A throwaway app instance supplies the codecs and module set the CLI needs.
	codecs := simapp.NewSimApp(log.NewNopLogger(), dbm.NewMemDB(), nil, true,
		simtestutil.NewAppOptionsWithFlagHome(os.TempDir()))
	clientCtx := client.Context{}.
		WithCodec(codecs.AppCodec()).
		WithInterfaceRegistry(codecs.InterfaceRegistry()).
		WithTxConfig(codecs.TxConfig()).
		WithLegacyAmino(codecs.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(simapp.DefaultNodeHome).
		WithViper("")

	root := &cobra.Command{
		Use:   "simd",
		Short: "Cosmos SDK simapp (ibc-go v10) for benchmarks",
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			ctx, err := client.ReadPersistentCommandFlags(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(ctx, cmd); err != nil {
				return err
			}
			return server.InterceptConfigsPreRunHandler(cmd, "", nil, cmtcfg.DefaultConfig())
		},
	}
	tx := &cobra.Command{Use: "tx", Short: "Transaction subcommands (ibc-transfer only)", RunE: client.ValidateCmd}
	tx.AddCommand(transfercli.NewTxCmd())
	root.AddCommand(
		genutilcli.InitCmd(codecs.BasicModuleManager, simapp.DefaultNodeHome),
		genutilcli.Commands(codecs.TxConfig(), codecs.BasicModuleManager, simapp.DefaultNodeHome),
		keys.Commands(),
		tx,
	)
	server.AddCommands(root, simapp.DefaultNodeHome, newApp, nil, func(*cobra.Command) {})

	if err := svrcmd.Execute(root, "", simapp.DefaultNodeHome); err != nil {
		os.Exit(1)
	}
}
